import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import webpush from 'web-push';
import { afterEach, expect, it } from 'vitest';
import { config } from '../../../src/server/config.ts';
import { pushConfig, resetPushConfig } from '../../../src/server/notifications/push-config.ts';
import { pgAdminUrl } from '../../support/pg.ts';

afterEach(() => resetPushConfig());

// On SQLite; on PostgreSQL the pair lives in the database for every instance (tests/unit/db/database-secrets.test.ts).
it.skipIf(!!pgAdminUrl())('generates the VAPID keys once into the data dir (0600) and keeps using them', () => {
  const first = pushConfig({});
  resetPushConfig();
  const second = pushConfig({});
  expect(second.vapid).toEqual(first.vapid);
  const file = join(config().dataDir, 'vapid.json');
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ publicKey: first.vapid.publicKey, privateKey: first.vapid.privateKey });
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(first.vapid.subject).toBe('https://track.example.test'); // WAYPOST_PUBLIC_URL, when https
});

it('takes the keys, subject and hosts from the environment', () => {
  const keys = webpush.generateVAPIDKeys();
  const c = pushConfig({
    VAPID_PUBLIC_KEY: keys.publicKey,
    VAPID_PRIVATE_KEY: keys.privateKey,
    VAPID_SUBJECT: 'mailto:ops@shop.example',
    WAYPOST_PUSH_HOSTS: ' 127.0.0.1:4600 , Push.Internal.example ',
  });
  expect(c.vapid).toEqual({ ...keys, subject: 'mailto:ops@shop.example' });
  expect(c.extraHosts).toEqual(['127.0.0.1:4600', 'push.internal.example']);
});

it('stops start-up on a bad value, naming the variable', () => {
  expect(() => pushConfig({ VAPID_PUBLIC_KEY: 'nope', VAPID_PRIVATE_KEY: 'nope' })).toThrow(/VAPID_PUBLIC_KEY/);
  expect(() => pushConfig({ VAPID_PUBLIC_KEY: webpush.generateVAPIDKeys().publicKey })).toThrow(/go together/);
  expect(() => pushConfig({ WAYPOST_PUSH_HOSTS: 'http://evil/' })).toThrow(/WAYPOST_PUSH_HOSTS/);
  expect(() => pushConfig({ VAPID_SUBJECT: 'ops@shop.example' })).toThrow(/VAPID_SUBJECT/);
});
