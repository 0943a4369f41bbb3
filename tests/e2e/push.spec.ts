// Web-push updates in Chromium: the opt-in walks through its states, the store's service worker
// registers, and a push delivered to it shows the notification whose click opens the order page.
//
// Headless Chromium has no push service: PushManager.subscribe() always rejects ("Registration
// failed - permission denied", even with the push permission granted over CDP). So the page's
// PushManager is replaced by one returning a subscription with real P-256 keys made by WebCrypto,
// at an endpoint the test server allows (127.0.0.1:9); everything else is real: the island, the
// route, the service worker. Pushes reach the worker through CDP's ServiceWorker.deliverPushMessage.
// A notification cannot be clicked from CDP, so the click is dispatched inside the worker as a
// NotificationEvent for the real notification, with clients.openWindow/focus recorded (they need
// the user activation only a real click gives).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { endpointsOf, fakePushManager, liveTracker, newLiveOrder, outboxKindsOf } from '../support/push-browser.ts';

const links = () => JSON.parse(process.env.E2E_DEMO_LINKS ?? '{}') as Record<string, string>;
const orderUrl = () => links()['In transit']!;

const optIn = (page: Page) => page.locator('section.push-optin');

/** The store's service worker as Playwright sees it (its report may come after the page's). */
const storeWorker = async (context: BrowserContext) =>
  context.serviceWorkers().find((w) => w.url().endsWith('/sw.js')) ??
  (await context.waitForEvent('serviceworker', { predicate: (w) => w.url().endsWith('/sw.js') }));

test('the button asks only when tapped; refused, it says how to unblock', async ({ page }) => {
  await page.goto(orderUrl());
  await expect(optIn(page)).toBeVisible();
  await expect(optIn(page).getByRole('button', { name: 'Get updates on this order' })).toBeVisible();
  expect(await page.evaluate(() => Notification.permission)).toBe('default'); // nothing asked on load
  await optIn(page).getByRole('button', { name: 'Get updates on this order' }).click();
  await expect(optIn(page)).toContainText('blocked in your browser settings');
  await expect(optIn(page).getByRole('button')).toHaveCount(0);
});

test('granted: subscribes through the store’s service worker, survives a reload, and stops', async ({ page, context }) => {
  await fakePushManager(context);
  await context.grantPermissions(['notifications']);
  await page.goto(orderUrl());
  const posted = page.waitForResponse((r) => r.url().endsWith('/push') && r.request().method() === 'POST');
  await optIn(page).getByRole('button', { name: 'Get updates on this order' }).click();
  expect((await posted).status()).toBe(201);
  await expect(optIn(page)).toContainText('You will get updates on this device');
  const reg = await page.evaluate(async () => {
    const r = await navigator.serviceWorker.getRegistration('/demo/');
    return { scope: r?.scope, script: r?.active?.scriptURL };
  });
  expect(reg.scope).toMatch(/\/demo\/$/);
  expect(reg.script).toMatch(/\/sw\.js$/);
  expect(
    await new AxeBuilder({ page })
      .include('section.push-optin')
      .analyze()
      .then((r) => r.violations),
  ).toEqual([]);

  await page.reload();
  await expect(optIn(page).getByRole('button', { name: 'Stop updates' })).toBeVisible();
  const deleted = page.waitForResponse((r) => r.url().endsWith('/push') && r.request().method() === 'DELETE');
  await optIn(page).getByRole('button', { name: 'Stop updates' }).click();
  expect((await deleted).status()).toBe(204);
  await expect(optIn(page).getByRole('button', { name: 'Get updates on this order' })).toBeVisible();
});

test('a browser without web push is told so in plain words', async ({ page, context }) => {
  await context.addInitScript(() => delete (window as { PushManager?: unknown }).PushManager);
  await page.goto(orderUrl());
  await expect(optIn(page)).toContainText('This browser cannot show updates from websites');
});

test('an iPhone not on the Home Screen is told how to add it, and the store manifest is linked', async ({ browser }) => {
  const context = await browser.newContext({
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    viewport: { width: 390, height: 844 },
  });
  const page = await context.newPage();
  await page.goto(orderUrl());
  await expect(optIn(page)).toContainText('Add to Home Screen');
  const manifest = await page.locator('link[rel="manifest"]').getAttribute('href');
  const m = (await (await page.request.get(new URL(manifest!, page.url()).href)).json()) as { name: string; start_url: string };
  expect(m.name).toBe('Northwind Outfitters');
  expect(m.start_url).toBe(new URL(orderUrl()).pathname);
  await context.close();
});

test('a push shows the notification; its click opens the order page', async ({ page, context }) => {
  await fakePushManager(context);
  await context.grantPermissions(['notifications']);
  await page.goto(orderUrl());
  const cdp = await context.newCDPSession(page);
  const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  await optIn(page).getByRole('button', { name: 'Get updates on this order' }).click();
  await expect(optIn(page)).toContainText('You will get updates on this device');
  // The live registration of the store's scope: the latest report wins (an earlier one may have been deleted since).
  const live = () => registrations.findLast((r) => r.scopeURL.endsWith('/demo/'));
  await expect.poll(() => live() && !live()!.isDeleted, { timeout: 10_000 }).toBe(true);
  const registrationId = live()!.registrationId;
  // A push delivered while the worker is still installing is dropped: deliver only once it is active.
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/demo/'))?.active?.state), { timeout: 10_000 })
    .toBe('activated');

  const path = new URL(orderUrl()).pathname;
  const data = JSON.stringify({
    title: 'Northwind Outfitters',
    body: 'Your order #1003 is out for delivery today.',
    url: orderUrl(),
    tag: 'parcel-topic',
    icon: '/icons/notification.png',
  });
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(orderUrl()).origin, registrationId, data });
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const reg = await navigator.serviceWorker.getRegistration('/demo/');
          return (await reg!.getNotifications()).map((n) => ({
            title: n.title,
            body: n.body,
            tag: n.tag,
            url: (n.data as { url: string }).url,
          }));
        }),
      { timeout: 10_000 },
    )
    .toEqual([
      { title: 'Northwind Outfitters', body: 'Your order #1003 is out for delivery today.', tag: 'parcel-topic', url: orderUrl() },
    ]);

  // A newer update for the same parcel replaces the older one (same tag).
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin: new URL(orderUrl()).origin,
    registrationId,
    data: data.replace('is out for delivery today', 'has been delivered'),
  });
  await expect
    .poll(
      () =>
        page.evaluate(async () => (await (await navigator.serviceWorker.getRegistration('/demo/'))!.getNotifications()).map((n) => n.body)),
      { timeout: 10_000 },
    )
    .toEqual(['Your order #1003 has been delivered.']);

  const worker = await storeWorker(context);
  const click = (openTabs: boolean) =>
    worker.evaluate(async (openTabs) => {
      // Service-worker globals (the e2e files are typed with the DOM library only).
      type Win = { url: string };
      const sw = self as unknown as {
        clients: object;
        registration: ServiceWorkerRegistration;
        dispatchEvent(e: Event): boolean;
        WindowClient: { prototype: object };
        NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
      };
      const opened: string[] = [];
      const focused: string[] = [];
      const pending: Promise<unknown>[] = [];
      Object.defineProperty(sw.clients, 'openWindow', { configurable: true, value: async (u: string) => (opened.push(u), null) });
      if (!openTabs) Object.defineProperty(sw.clients, 'matchAll', { configurable: true, value: async () => [] });
      Object.defineProperty(sw.WindowClient.prototype, 'focus', {
        configurable: true,
        value: async function (this: Win) {
          focused.push(this.url);
          return this;
        },
      });
      const [n] = await sw.registration.getNotifications();
      const ev = new sw.NotificationEvent('notificationclick', { notification: n! });
      Object.defineProperty(ev, 'waitUntil', { value: (p: Promise<unknown>) => pending.push(p) });
      sw.dispatchEvent(ev);
      await Promise.all(pending);
      return { opened, focused, left: (await sw.registration.getNotifications()).length };
    }, openTabs);
  // The order page is open in this tab: the click focuses it.
  expect(await click(true)).toEqual({ opened: [], focused: [orderUrl()], left: 0 });
  // With no tab on it, the click opens the order page on this site (another parcel's update,
  // shown as the push handler shows it: delivering pushes is proven above).
  await worker.evaluate(
    async (payload) => {
      const sw = self as unknown as { registration: ServiceWorkerRegistration };
      const d = JSON.parse(payload) as { title: string; body: string; url: string; tag: string };
      await sw.registration.showNotification(d.title, { body: d.body, tag: d.tag, data: { url: d.url } });
    },
    data.replace('parcel-topic', 'other-parcel-topic'),
  );
  await expect
    .poll(() => page.evaluate(async () => (await (await navigator.serviceWorker.getRegistration('/demo/'))!.getNotifications()).length), {
      timeout: 10_000,
    })
    .toBe(1);
  const r = await click(false);
  expect(r.opened).toEqual([new URL(path, orderUrl()).href]);
  await page.goto(r.opened[0]!);
  await expect(page.getByText('Order #1003')).toBeVisible();
});

test('a followed order that updates itself keeps its opt-in, and the news is queued for the device', async ({ page, context }, info) => {
  const { code, trackingUrl } = await newLiveOrder(info.project.name);
  await fakePushManager(context);
  await context.grantPermissions(['notifications']);
  await page.goto(trackingUrl);
  await optIn(page).getByRole('button', { name: 'Get updates on this order' }).click();
  await expect(optIn(page)).toContainText('You will get updates on this device');

  await liveTracker(code, 'out_for_delivery');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Out for delivery', { timeout: 5_000 });
  // The page's content was swapped in fresh; the island woke up again in the same state.
  await expect(optIn(page).getByRole('button', { name: 'Stop updates' })).toBeVisible();
  expect(await outboxKindsOf(code)).toEqual(['out_for_delivery']);
});

test('a renewed subscription (pushsubscriptionchange) is handed to the followed order by the service worker', async ({
  page,
  context,
}, info) => {
  const { code, trackingUrl } = await newLiveOrder(info.project.name);
  await fakePushManager(context);
  await context.grantPermissions(['notifications']);
  await page.goto(trackingUrl);
  await optIn(page).getByRole('button', { name: 'Get updates on this order' }).click();
  await expect(optIn(page)).toContainText('You will get updates on this device');
  const endpoints = () => endpointsOf(code);
  const [old] = await endpoints();
  expect(old).toMatch(/^http:\/\/127\.0\.0\.1:9\/push\/e2e-/);

  // Chromium never fires this event; Firefox does when it renews a subscription. Dispatched here
  // with a new subscription made like a browser's (WebCrypto P-256 key, 16-byte secret).
  const worker = await storeWorker(context);
  const renewed = await worker.evaluate(async (oldEndpoint) => {
    const b64 = (b: ArrayBuffer) =>
      btoa(String.fromCharCode(...new Uint8Array(b)))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
    const json = {
      endpoint: `http://127.0.0.1:9/push/renewed-${crypto.randomUUID()}`,
      keys: {
        p256dh: b64(await crypto.subtle.exportKey('raw', pair.publicKey)),
        auth: b64(crypto.getRandomValues(new Uint8Array(16)).buffer),
      },
    };
    const ev = new Event('pushsubscriptionchange');
    const pending: Promise<unknown>[] = [];
    Object.defineProperty(ev, 'oldSubscription', { value: { endpoint: oldEndpoint } });
    Object.defineProperty(ev, 'newSubscription', { value: { endpoint: json.endpoint, toJSON: () => json } });
    Object.defineProperty(ev, 'waitUntil', { value: (p: Promise<unknown>) => pending.push(p) });
    self.dispatchEvent(ev);
    await Promise.all(pending);
    return json.endpoint;
  }, old!);
  expect(await endpoints()).toEqual([renewed]);
});
