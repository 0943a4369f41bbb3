// Playwright: one portal with the demo store for the whole run, plus a second store without a
// carrier key (so only the test's own signed webhooks move its parcels); links go to tests by env.
import { cli } from './http.ts';
import { startTestServer, demoLinks } from './server.ts';

export const LIVE_SECRET = 'live-shop-webhook-secret';
/** One account per Playwright project (phone, desktop): locking one out leaves the other's run intact. */
export const lockoutUser = (project: string) => ({ email: `lockout-${project}@northwind.example`, password: 'a-fine-password-2026' });
export const LIVE_OWNER = { email: 'owner@live.example', password: 'another-fine-password' };

export default async function globalSetup() {
  // 127.0.0.1:9 (discard): headless Chromium has no push service, so push.spec.ts subscribes there.
  // The pseudo-locale (?lang=en-XA) is for pseudo-locale.spec.ts: longer words on every shopper page.
  const server = await startTestServer({
    WAYPOST_DEMO: '1',
    WAYPOST_WORKER: '1',
    WAYPOST_PUSH_HOSTS: '127.0.0.1:9',
    WAYPOST_PSEUDO_LOCALE: '1',
  });
  const live = cli<{ apiKey: string }>(server.dataDir, [
    'stores:create',
    '--slug',
    'live',
    '--name',
    'Live Shop',
    '--webhook-secret',
    LIVE_SECRET,
  ]);
  process.env.E2E_BASE_URL = server.url.replace('127.0.0.1', 'localhost');
  process.env.E2E_DEMO_LINKS = JSON.stringify(demoLinks(server.output));
  process.env.E2E_LIVE_KEY = live.apiKey;
  process.env.E2E_DATA_DIR = server.dataDir;
  // Accounts for the sign-in journeys, so locking one out does not disturb other specs.
  for (const project of ['phone', 'desktop']) {
    const u = lockoutUser(project);
    cli(server.dataDir, ['users:create', '--store', 'demo', '--email', u.email, '--role', 'staff'], { WAYPOST_PASSWORD: u.password });
  }
  cli(server.dataDir, ['users:create', '--store', 'live', '--email', LIVE_OWNER.email, '--role', 'owner'], {
    WAYPOST_PASSWORD: LIVE_OWNER.password,
  });
  return async () => server.stop();
}
