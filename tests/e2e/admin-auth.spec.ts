// Merchant sign-in journeys: owner and staff, roles, forgery, lockout.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { LIVE_OWNER, lockoutUser } from '../support/e2e-global-setup.ts';

const base = () => process.env.E2E_BASE_URL!;

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${base()}/admin/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('the back office sends a visitor without a session to sign in', async ({ page }) => {
  await page.goto(`${base()}/admin/cases`);
  await expect(page).toHaveURL(/\/admin\/login$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Waypost');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  expect(result.violations.map((v) => v.id)).toEqual([]);
});

test('an owner signs in, sees keys and staff, and signs out', async ({ page, context }) => {
  await signIn(page, 'owner@northwind.example', 'trailhead-demo-2026');
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');
  const cookie = (await context.cookies()).find((c) => c.name === 'wp_session')!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true });
  await page.getByRole('link', { name: 'Keys & integrations' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Keys & integrations');
  await expect(page.getByText('Webhook URL for EasyPost’s dashboard')).toBeVisible();
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  expect(result.violations.map((v) => v.id)).toEqual([]);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto(`${base()}/admin/keys`);
  await expect(page).toHaveURL(/\/admin\/login$/);
});

test('a staff member cannot reach keys or staff', async ({ page }) => {
  await signIn(page, 'staff@northwind.example', 'basecamp-demo-2026');
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('link', { name: 'Keys & integrations' })).toHaveCount(0);
  const keys = await page.goto(`${base()}/admin/keys`);
  expect(keys?.status()).toBe(403);
  await expect(page.getByRole('alert')).toContainText('Only the store’s owner');
  expect((await page.goto(`${base()}/admin/staff`))?.status()).toBe(403);
});

test('a form posted from another site is refused', async ({ page }) => {
  await signIn(page, LIVE_OWNER.email, LIVE_OWNER.password);
  await expect(page).toHaveURL(/\/admin$/);
  // A page on another origin auto-submits a form into the back office with the user's cookie.
  await page.route('http://attacker.test/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<form id="f" method="post" action="${base()}/admin/keys"><input name="action" value="rotate-webhook-secret"></form><script>document.getElementById('f').submit()</script>`,
    }),
  );
  await page.goto('http://attacker.test/evil');
  await expect(page.locator('body')).toContainText('sent from another site, so it was refused');
});

test('five wrong passwords lock the account for a while, with a clear message', async ({ page }, info) => {
  const LOCKOUT_USER = lockoutUser(info.project.name);
  for (let i = 1; i <= 5; i++) {
    await signIn(page, LOCKOUT_USER.email, `wrong-password-${i}`);
    if (i < 5) await expect(page.getByRole('alert')).toHaveText('That email and password do not match an account.');
  }
  await expect(page.getByRole('alert')).toContainText('locked for 15 more minutes');
  // Even the right password waits out the lock.
  await signIn(page, LOCKOUT_USER.email, LOCKOUT_USER.password);
  await expect(page.getByRole('alert')).toContainText('locked for');
  await expect(page).toHaveURL(/\/admin\/login$/);
});

test('an account reaches nothing of another store: every id from the demo store is a 404', async ({ page }) => {
  // Ids of the demo store, read straight from the database the portal uses.
  const { default: Database } = await import('better-sqlite3');
  const sqlite = new Database(`${process.env.E2E_DATA_DIR}/waypost.db`, { readonly: true });
  const demo = sqlite.prepare(`select id from stores where slug = 'demo'`).get() as { id: string };
  const ids = {
    caseId: (sqlite.prepare('select id from cases where store_id = ? limit 1').get(demo.id) as { id: string }).id,
    keyId: (sqlite.prepare('select id from api_keys where store_id = ? limit 1').get(demo.id) as { id: string }).id,
    userId: (sqlite.prepare('select id from users where store_id = ? limit 1').get(demo.id) as { id: string }).id,
  };
  sqlite.close();

  await signIn(page, LIVE_OWNER.email, LIVE_OWNER.password);
  await expect(page).toHaveURL(/\/admin$/);
  expect((await page.goto(`${base()}/admin/cases/${ids.caseId}`))?.status()).toBe(404);
  const post = (path: string, form: Record<string, string>) =>
    page.request.post(`${base()}${path}`, { form, headers: { origin: base() }, maxRedirects: 0 });
  expect((await post(`/admin/cases/${ids.caseId}`, { action: 'status', status: 'resolved' })).status()).toBe(404);
  expect((await post('/admin/keys', { action: 'revoke-key', keyId: ids.keyId })).status()).toBe(404);
  expect((await post('/admin/staff', { action: 'disable', userId: ids.userId })).status()).toBe(404);
  // And nothing of the demo store changed.
  const after = new Database(`${process.env.E2E_DATA_DIR}/waypost.db`, { readonly: true });
  expect(after.prepare('select revoked_at from api_keys where id = ?').get(ids.keyId)).toEqual({ revoked_at: null });
  expect(after.prepare('select disabled_at from users where id = ?').get(ids.userId)).toEqual({ disabled_at: null });
  after.close();
});
