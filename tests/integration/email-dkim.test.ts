// DKIM per store: a store's key (set through the API, write-only, sealed at rest) signs each of its
// emails; a receiver (mailauth, with DNS stubbed at the network edge: the TXT record of
// <selector>._domainkey.<domain> holds the public key) finds the signature valid and DMARC aligned.
// A store without a key sends unsigned; a changed body or subject no longer verifies.
import { generateKeyPairSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { authenticate, dkimVerify } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, schema, useDatabase } from '../../src/server/db.ts';
import { api, cli, postForm } from '../support/http.ts';
import { carrierEvent, createOrder, createPushStore } from '../support/push-journey.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { waitUntil } from '../support/wait.ts';

let smtp: SmtpSink;
let server: TestServer;
let signedKey: string;
let plainKey: string;
let edKey: string;

const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
const { privateKey, publicKey } = rsa(2048);
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicB64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

/** DNS as the shopper's mail provider sees it: the store's DKIM key and DMARC policy, nothing else. */
const ed = generateKeyPairSync('ed25519');
const edPublicRaw = ed.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64'); // RFC 8463: the bare 32 bytes
const dns: Record<string, string> = {
  's1._domainkey.dkimco.test': `v=DKIM1; k=rsa; p=${publicB64}`,
  '_dmarc.dkimco.test': 'v=DMARC1; p=reject; adkim=r',
  'e1._domainkey.edco.test': `v=DKIM1; k=ed25519; p=${edPublicRaw}`,
  '_dmarc.edco.test': 'v=DMARC1; p=reject',
};
async function resolver(name: string, type: string): Promise<string[][]> {
  const record = type === 'TXT' ? dns[name.toLowerCase()] : undefined;
  if (record) return [[record]];
  throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
}

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startTestServer({ WAYPOST_WORKER: '1', WAYPOST_SMTP_URL: smtp.url, WAYPOST_MAIL_FROM: 'updates@waypost.test' });
  signedKey = createPushStore(server, 'dkimco', 'DKIM & Co');
  plainKey = createPushStore(server, 'plainco', 'Plain Co');
  edKey = createPushStore(server, 'edco', 'Ed & Co');
  for (const [key, sender] of [
    [signedKey, 'orders@mail.dkimco.test'],
    [plainKey, null],
    [edKey, 'shop@edco.test'],
  ] as const) {
    const r = await api(server.url, key, 'PATCH', '/api/v1/store', {
      notifications: { senderAddress: sender, quietHours: { enabled: false } },
    });
    expect(r.status, r.text).toBe(200);
  }
  useDatabase(server.database);
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

const to = (address: string) => smtp.received.filter((m) => m.to.includes(address));
const storeRow = async (slug: string) => (await db().select().from(schema.stores).where(eq(schema.stores.slug, slug)))[0]!;

async function shippedEmailTo(key: string, slug: string, number: string, email: string) {
  await createOrder(server, key, number, `DKIM${number}`, { email });
  await carrierEvent(server, slug, `DKIM${number}`, 'in_transit', 'arrived_at_facility', 60);
  await waitUntil(() => to(email).length === 1);
  return to(email)[0]!.raw;
}

describe('DKIM per store', () => {
  it('refuses a key that cannot sign aligned mail, with the field at fault, and changes nothing', async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ domain: 'other.test', selector: 's1', privateKey: pem }, '/domain', /orders@mail\.dkimco\.test.*mail\.dkimco\.test or a parent/],
      [{ domain: 'ail.dkimco.test', selector: 's1', privateKey: pem }, '/domain', /parent/], // a suffix is not a parent
      [{ domain: 'dkimco.test', selector: 's1', privateKey: 'not a key' }, '/privateKey', /PEM/],
      [
        { domain: 'dkimco.test', selector: 's1', privateKey: rsa(1024).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
        '/privateKey',
        /1024 bits/,
      ],
      [
        {
          domain: 'dkimco.test',
          selector: 's1',
          privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
        '/privateKey',
        /RSA .* or Ed25519/,
      ],
      [{ domain: 'dkimco.test', selector: 'bad selector', privateKey: pem }, '/selector', /selector/],
      [
        { domain: 'dkimco.test', selector: 's1', privateKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
        '/privateKey',
        /PEM/,
      ],
    ];
    for (const [body, pointer, detail] of cases) {
      const r = await api(server.url, signedKey, 'PUT', '/api/v1/store/dkim', body);
      expect(r.status, r.text).toBe(422);
      const errors = r.json.errors as { pointer: string; detail: string }[];
      expect(errors[0]?.pointer).toBe(pointer);
      expect(errors[0]?.detail).toMatch(detail);
    }
    expect((await api(server.url, signedKey, 'GET', '/api/v1/store/dkim')).json).toEqual({ dkim: null });
    expect((await storeRow('dkimco')).dkimKeyEnc).toBeNull();
  });

  it('keeps the key write-only and sealed at rest', async () => {
    const r = await api(server.url, signedKey, 'PUT', '/api/v1/store/dkim', { domain: 'DKIMCO.test', selector: 's1', privateKey: pem });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({ dkim: { domain: 'dkimco.test', selector: 's1' } });
    const got = await api(server.url, signedKey, 'GET', '/api/v1/store/dkim');
    expect(got.json).toEqual({ dkim: { domain: 'dkimco.test', selector: 's1' } });
    expect(got.text + (await api(server.url, signedKey, 'GET', '/api/v1/store')).text).not.toMatch(/PRIVATE KEY|MII/);
    const row = await storeRow('dkimco');
    expect(row.dkimKeyEnc).toMatch(/^v1\./);
    expect(row.dkimKeyEnc).not.toContain('PRIVATE');
    const audit = await db().select().from(schema.auditLog).where(eq(schema.auditLog.storeId, row.id));
    expect(audit.map((a) => a.action)).toContain('dkim_key.set');
    expect(JSON.stringify(audit)).not.toContain('PRIVATE');
    // A sender address the key does not cover would fail DMARC on every email: refused while the key is set.
    const moved = await api(server.url, signedKey, 'PATCH', '/api/v1/store', { notifications: { senderAddress: 'orders@elsewhere.test' } });
    expect(moved.status).toBe(422);
    expect((moved.json.errors as { pointer: string }[])[0]?.pointer).toBe('/notifications/senderAddress');
    const sub = await api(server.url, signedKey, 'PATCH', '/api/v1/store', { notifications: { senderAddress: 'orders@mail.dkimco.test' } });
    expect(sub.status, sub.text).toBe(200);
  });

  it('signs the store’s emails so the receiver verifies them and DMARC passes by alignment', async () => {
    const raw = await shippedEmailTo(signedKey, 'dkimco', '9101', 'signed@example.com');
    const verified = await dkimVerify(raw, { resolver });
    expect(verified.results).toHaveLength(1);
    expect(verified.results[0]).toMatchObject({
      signingDomain: 'dkimco.test',
      selector: 's1',
      status: { result: 'pass', aligned: 'dkimco.test' },
    });
    const auth = await authenticate(raw, {
      resolver,
      ip: '127.0.0.1',
      helo: 'localhost',
      sender: 'orders@mail.dkimco.test',
      mta: 'mx.example.com',
      disableArc: true,
      disableBimi: true,
    });
    expect(auth.dmarc && auth.dmarc.status.result).toBe('pass');

    // A body changed on the way no longer matches the signed hash; a changed subject breaks the signature.
    const [head, ...body] = raw.split('\r\n\r\n');
    const tamperedBody = `${head}\r\n\r\n${body.join('\r\n\r\n').replace('9101', '9102')}`;
    expect(tamperedBody).not.toBe(raw);
    const bodyResult = (await dkimVerify(tamperedBody, { resolver })).results[0]!.status;
    expect(bodyResult.result).not.toBe('pass');
    expect(bodyResult.comment).toMatch(/body hash/);
    const tamperedSubject = raw.replace(/^Subject: .*$/m, 'Subject: Your refund is waiting');
    expect(tamperedSubject).not.toBe(raw);
    expect((await dkimVerify(tamperedSubject, { resolver })).results[0]!.status.result).toBe('fail');
  });

  it('signs with an Ed25519 key (ed25519-sha256, RFC 8463), which verifies, and a changed body does not', async () => {
    const key = ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const set = await api(server.url, edKey, 'PUT', '/api/v1/store/dkim', { domain: 'edco.test', selector: 'e1', privateKey: key });
    expect(set.status, set.text).toBe(200);
    const raw = await shippedEmailTo(edKey, 'edco', '9301', 'ed@example.com');
    expect(raw).toMatch(/^DKIM-Signature: v=1; a=ed25519-sha256;/);
    const verified = await dkimVerify(raw, { resolver });
    expect(verified.results[0]).toMatchObject({ signingDomain: 'edco.test', selector: 'e1', status: { result: 'pass' } });
    const mail = to('ed@example.com')[0]!.mail;
    expect(mail.subject).toBe('Your order #9301 has shipped');
    expect(mail.from?.value[0]?.address).toBe('shop@edco.test');
    const tampered = raw.replace('9301', '9302');
    expect((await dkimVerify(tampered, { resolver })).results[0]!.status.result).not.toBe('pass');
  });

  it('lets the owner set and remove the key in the back office, shown only as domain and selector; staff may not', async () => {
    const office = createPushStore(server, 'officeco', 'Office Co');
    const patched = await api(server.url, office, 'PATCH', '/api/v1/store', { notifications: { senderAddress: 'hello@officeco.test' } });
    expect(patched.status, patched.text).toBe(200);
    const signIn = async (email: string, role: string) => {
      cli(server.dataDir, ['users:create', '--store', 'officeco', '--email', email, '--role', role], {
        WAYPOST_PASSWORD: 'office-password-2026',
      });
      const login = await postForm(server.url, '/admin/login', { email, password: 'office-password-2026' });
      return /wp_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    };
    const owner = await signIn('owner@officeco.test', 'owner');
    const staff = await signIn('staff@officeco.test', 'staff');
    const post = (cookie: string, fields: Record<string, string>) =>
      fetch(`${server.url}/admin/keys`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const form = { action: 'set-dkim-key', dkimDomain: 'officeco.test', dkimSelector: 'mail2026', dkimPrivateKey: pem };

    expect((await post(staff, form)).status).toBe(403);
    expect((await post(owner, { ...form, dkimDomain: 'elsewhere.test' })).status).toBe(422);
    expect((await api(server.url, office, 'GET', '/api/v1/store/dkim')).json).toEqual({ dkim: null });
    const saved = await post(owner, form);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/admin/keys?done=dkim');
    const shown = await (await fetch(`${server.url}/admin/keys?done=dkim`, { headers: { cookie: owner } })).text();
    expect(shown).toMatch(/set<\/span> selector <code>mail2026<\/code>, domain <code>officeco\.test<\/code>/);
    expect(shown).toContain('>Remove<');
    expect(shown).not.toMatch(/PRIVATE KEY|MII/);
    expect((await post(owner, { action: 'remove-dkim-key' })).status).toBe(303);
    expect((await api(server.url, office, 'GET', '/api/v1/store/dkim')).json).toEqual({ dkim: null });
  }, 120_000); // two accounts made with the command line, each password hashed

  it('sends a store without a key unsigned, and unsigned again once a key is removed', async () => {
    const raw = await shippedEmailTo(plainKey, 'plainco', '9201', 'plain@example.com');
    expect(raw).not.toMatch(/^DKIM-Signature:/im);
    expect((await dkimVerify(raw, { resolver })).results[0]?.status.result).toBe('none');

    const removed = await api(server.url, signedKey, 'DELETE', '/api/v1/store/dkim');
    expect(removed.status).toBe(204);
    expect((await api(server.url, signedKey, 'GET', '/api/v1/store/dkim')).json).toEqual({ dkim: null });
    const after = await shippedEmailTo(signedKey, 'dkimco', '9102', 'after@example.com');
    expect(after).not.toMatch(/^DKIM-Signature:/im);
  });
});
