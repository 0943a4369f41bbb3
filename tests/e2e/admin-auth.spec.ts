// Merchant sign-in journeys: owner and staff, roles, forgery, lockout.
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { db, firstRow, schema, useDatabase } from '../../src/server/db.ts';
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
  // Ids of the demo store, read straight from the database the portal uses (through its client).
  useDatabase(join(process.env.E2E_DATA_DIR!, 'waypost.db'));
  const demo = (await firstRow(db().select({ id: schema.stores.id }).from(schema.stores).where(eq(schema.stores.slug, 'demo'))))!;
  const firstIdOf = async (table: typeof schema.cases | typeof schema.apiKeys | typeof schema.users) =>
    (await firstRow(db().select({ id: table.id }).from(table).where(eq(table.storeId, demo.id)).limit(1)))!.id;
  const ids = { caseId: await firstIdOf(schema.cases), keyId: await firstIdOf(schema.apiKeys), userId: await firstIdOf(schema.users) };

  await signIn(page, LIVE_OWNER.email, LIVE_OWNER.password);
  await expect(page).toHaveURL(/\/admin$/);
  expect((await page.goto(`${base()}/admin/cases/${ids.caseId}`))?.status()).toBe(404);
  const post = (path: string, form: Record<string, string>) =>
    page.request.post(`${base()}${path}`, { form, headers: { origin: base() }, maxRedirects: 0 });
  expect((await post(`/admin/cases/${ids.caseId}`, { action: 'status', status: 'resolved' })).status()).toBe(404);
  expect((await post('/admin/keys', { action: 'revoke-key', keyId: ids.keyId })).status()).toBe(404);
  expect((await post('/admin/staff', { action: 'disable', userId: ids.userId })).status()).toBe(404);
  // And nothing of the demo store changed.
  expect(
    await firstRow(db().select({ revokedAt: schema.apiKeys.revokedAt }).from(schema.apiKeys).where(eq(schema.apiKeys.id, ids.keyId))),
  ).toEqual({ revokedAt: null });
  expect(
    await firstRow(db().select({ disabledAt: schema.users.disabledAt }).from(schema.users).where(eq(schema.users.id, ids.userId))),
  ).toEqual({ disabledAt: null });
});
