// Playwright: one portal with the demo store for the whole run; its links go to the tests by env.
import { startTestServer, demoLinks } from './server.ts';

export default async function globalSetup() {
  const server = await startTestServer({ WAYPOST_DEMO: '1' });
  process.env.E2E_BASE_URL = server.url.replace('127.0.0.1', 'localhost');
  process.env.E2E_DEMO_LINKS = JSON.stringify(demoLinks(server.output));
  return async () => server.stop();
}
