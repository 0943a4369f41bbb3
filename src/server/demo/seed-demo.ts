// The demo store, "Northwind Outfitters", with an order in every state. Safe to run again: an
// existing demo store is left as it is and its links are returned.
import { eq } from 'drizzle-orm';
import { addDays, dayInZone } from '../../lib/dates.ts';
import { schema, transaction } from '../db.ts';
import { scanForDelays } from '../changes/deadlines-passed.ts';
import { scanReviewInvitations } from '../reviews/scan-review-invitations.ts';
import { systemClock, type Clock } from '../clock.ts';
import { createStore } from '../stores/create-store.ts';
import { createUser } from '../users/create-user.ts';
import { getStoreBySlug } from '../stores/get-store.ts';
import type { Store } from '../stores/store.ts';
import { upsertOrder } from '../changes/order-written.ts';
import { getOrderByNumber } from '../orders/get-order-by-number.ts';
import { orderPageUrl } from '../orders/order-json.ts';
import { applyCarrierNews } from '../changes/carrier-news.ts';
import { AFTER_SALE, CATALOGUE } from './demo-catalogue.ts';
import { DEMO_ORDERS, HOUR, type DemoParcel } from './demo-orders.ts';
import { putProduct } from '../products/put-product.ts';

export const DEMO_SLUG = 'demo';
/** Returns open in the demo: a return address, and store credit with a 10% bonus (see src/server/returns). */
const DEMO_RETURNS_SETTINGS = {
  returnAddress: {
    name: 'Northwind Returns',
    street1: '1200 NW Naito Pkwy',
    city: 'Portland',
    state: 'OR',
    postalCode: '97209',
    country: 'US',
  },
  returns: { resolutions: { refund: true, storeCredit: true, storeCreditBonusPercent: 10 } },
} as const;
export const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret';
/** The key the demo store uses with the local emulator (never a real EasyPost key). */
export const DEMO_EASYPOST_KEY = 'demo-easypost-key';
/** The demo store's sign-ins (demo only; printed at start). */
const DEMO_OWNER = { email: 'owner@northwind.example', password: 'trailhead-demo-2026' };
const DEMO_STAFF = { email: 'staff@northwind.example', password: 'basecamp-demo-2026' };

export interface DemoLinks {
  storeName: string;
  lookupUrl: string;
  apiKey: string | null;
  signIns: { email: string; password: string; role: string }[];
  orders: { label: string; number: string; email: string; url: string }[];
}

/** Creates the demo store and its orders unless they exist; returns the links to open. */
export async function seedDemo(opts: { publicUrl: string; clock?: Clock }): Promise<DemoLinks> {
  const clock = opts.clock ?? systemClock;
  let store = await getStoreBySlug(DEMO_SLUG);
  let apiKey: string | null = null;
  if (!store) {
    const created = await createStore(
      {
        slug: DEMO_SLUG,
        name: 'Northwind Outfitters',
        webhookSecret: DEMO_WEBHOOK_SECRET,
        easypostKey: DEMO_EASYPOST_KEY,
        branding: {
          primaryColor: '#1d4d3a',
          accentColor: '#c2410c',
          font: 'humanist',
          supportEmail: 'help@northwind.example',
          supportPhone: '+1 503 555 0142',
          supportUrl: 'https://northwind.example/help',
          orderNote: 'Thank you for shopping with a small team in Portland. Every order is packed by hand.',
        },
        settings: {
          timeZone: 'America/Los_Angeles',
          processingDays: 1,
          transitDays: 4,
          reviews: { publishMode: 'after_hold', holdDays: 2 },
          ...DEMO_RETURNS_SETTINGS,
        },
      },
      clock,
    );
    store = created.store;
    apiKey = created.apiKey;
    const actor = { userId: null, label: 'demo seed' };
    await createUser(
      { storeId: store.id, email: DEMO_OWNER.email, name: 'Nora (owner)', role: 'owner', password: DEMO_OWNER.password },
      actor,
      clock.now(),
    );
    await createUser(
      { storeId: store.id, email: DEMO_STAFF.email, name: 'Sam (support)', role: 'staff', password: DEMO_STAFF.password },
      actor,
      clock.now(),
    );
    await seedCatalogue(store, clock);
    for (const o of DEMO_ORDERS) await seedOrder(store, o, clock);
    await scanForDelays(clock.now()); // the late and quiet story parcels show their notices at once
    await scanReviewInvitations(clock.now()); // and last week's delivery is ready for a review
  }
  const links: DemoLinks['orders'] = [];
  for (const o of DEMO_ORDERS) {
    const view = await getOrderByNumber(store, o.number, clock);
    if (view) links.push({ label: o.label, number: o.number, email: o.email, url: orderPageUrl(opts.publicUrl, store, view.token) });
  }
  return {
    storeName: store.name,
    lookupUrl: `${opts.publicUrl}/${store.slug}`,
    apiKey,
    signIns: [
      { ...DEMO_OWNER, role: 'owner' },
      { ...DEMO_STAFF, role: 'staff' },
    ],
    orders: links,
  };
}

/** The demo's products, with what follows the sale: care guides, warranties, a consumable's lifetime, suggestions. */
export async function seedCatalogue(store: Pick<Store, 'id'>, clock: Clock): Promise<void> {
  for (const [sku, item] of Object.entries(CATALOGUE)) {
    const extra = AFTER_SALE[sku] ?? {};
    await putProduct({
      storeId: store.id,
      productId: sku,
      body: {
        title: item.title,
        url: `https://northwind.example/products/${sku.toLowerCase()}`,
        variants: [{ sku, title: item.variant, available: sku !== 'LAMP-400' }],
        ...extra,
      },
      now: clock.now(),
    });
  }
}

async function seedOrder(store: Store, o: (typeof DEMO_ORDERS)[number], clock: Clock): Promise<void> {
  const now = clock.now();
  const today = dayInZone(now, store.settings.timeZone);
  await upsertOrder({
    storeId: store.id,
    clock,
    body: {
      number: o.number,
      email: o.email,
      customerName: o.customerName,
      placedAt: new Date(now - o.placedHoursAgo * HOUR).toISOString(),
      currency: 'USD',
      locale: 'en-US',
      shippingAddress: {
        name: o.customerName,
        street1: '400 Pine St',
        city: 'Seattle',
        state: 'WA',
        postalCode: o.postalCode,
        country: 'US',
      },
      items: o.items.map((i) => ({ ...CATALOGUE[i.sku]!, sku: i.sku, quantity: i.quantity })),
      shipments: o.parcels.map((p) => ({
        carrier: p.carrier,
        trackingCode: p.trackingCode,
        items: p.items,
        ...(p.promisedInDays === undefined ? {} : { promisedDeliveryDate: addDays(today, p.promisedInDays) }),
      })),
    },
  });
  const view = await getOrderByNumber(store, o.number, clock);
  for (const p of o.parcels) {
    const shipment = view?.shipments.find((s) => s.trackingCode === p.trackingCode);
    if (!shipment) continue;
    if (p.scans.length === 0) continue; // a live parcel: the carrier-sync job and the emulator move it
    await applyCarrierNews({ storeId: store.id, shipmentId: shipment.id, snapshot: demoSnapshot(p, now, today), now });
    // A story parcel: its history is written above, so the carrier is never asked about it.
    await transaction((tx) => tx.update(schema.shipments).set({ nextSyncAt: null }).where(eq(schema.shipments.id, shipment.id)));
  }
}

function demoSnapshot(p: DemoParcel, now: number, today: string) {
  const scans = [...p.scans].sort((a, b) => b.hoursAgo - a.hoursAgo);
  const last = scans.at(-1)!;
  return {
    trackerId: null,
    status: last.status,
    statusDetail: last.statusDetail ?? null,
    updatedAt: now - last.hoursAgo * HOUR,
    estDeliveryAt: p.carrierEstimateInDays === undefined ? null : Date.parse(`${addDays(today, p.carrierEstimateInDays)}T00:00:00Z`),
    signedBy: p.signedBy ?? null,
    publicUrl: null,
    details: scans.map((s) => ({
      occurredAt: now - s.hoursAgo * HOUR,
      status: s.status,
      statusDetail: s.statusDetail ?? null,
      message: s.message,
      city: s.city,
      state: s.state,
      country: 'US',
      postalCode: null,
    })),
  };
}
