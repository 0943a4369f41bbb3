// The database schema. Times are integer epoch milliseconds; calendar dates (a promised
// delivery day) are 'YYYY-MM-DD' text. Ids are random text so rows can move between databases.
// Every row that belongs to a store carries store_id, and every query filters on it.
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const stores = sqliteTable('stores', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** JSON: see src/server/stores/branding.ts */
  branding: text('branding', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
  /** JSON: see src/server/stores/settings.ts */
  settings: text('settings', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
  /** EasyPost webhook secret and API key, encrypted with a key derived from WAYPOST_SECRET. */
  webhookSecretEnc: text('webhook_secret_enc'),
  easypostKeyEnc: text('easypost_key_enc'),
  /** The version of `settings` in force (see policy_versions). */
  policyVersion: integer('policy_version').notNull().default(1),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id),
    label: text('label').notNull(),
    /** SHA-256 of the whole key, hex. The key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull().unique(),
    keyPrefix: text('key_prefix').notNull(),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
    lastUsedAt: integer('last_used_at'),
  },
  (t) => [index('api_keys_store_idx').on(t.storeId)],
);

export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id),
    number: text('number').notNull(),
    /** The number as look-ups compare it: no '#', no spaces, upper case. */
    numberNorm: text('number_norm').notNull(),
    email: text('email').notNull(),
    emailNorm: text('email_norm').notNull(),
    postalNorm: text('postal_norm').notNull(),
    customerName: text('customer_name').notNull(),
    placedAt: integer('placed_at').notNull(),
    currency: text('currency').notNull(),
    locale: text('locale').notNull(),
    timeZone: text('time_zone'),
    shippingAddress: text('shipping_address', { mode: 'json' }).notNull().$type<Record<string, string>>(),
    /** Random part of the order link's token; rotating it revokes every link handed out. */
    accessId: text('access_id').notNull().unique(),
    /** Hash of the last accepted API body, so the same body twice is recognised as a no-op. */
    bodyHash: text('body_hash').notNull(),
    /** When unshipped items become a delayed dispatch (placed + the store's processing days), while some are unshipped. */
    dispatchDueAt: integer('dispatch_due_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('orders_store_number_idx').on(t.storeId, t.numberNorm),
    index('orders_store_email_idx').on(t.storeId, t.emailNorm),
    index('orders_dispatch_due_idx').on(t.dispatchDueAt),
  ],
);

export const orderItems = sqliteTable(
  'order_items',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    sku: text('sku').notNull(),
    productId: text('product_id').notNull(),
    title: text('title').notNull(),
    variant: text('variant'),
    quantity: integer('quantity').notNull(),
    unitAmount: integer('unit_amount').notNull(),
    imageUrl: text('image_url'),
    category: text('category'),
    finalSale: integer('final_sale', { mode: 'boolean' }).notNull().default(false),
    position: integer('position').notNull(),
  },
  (t) => [uniqueIndex('order_items_order_sku_idx').on(t.orderId, t.sku)],
);

export const shipments = sqliteTable(
  'shipments',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    carrier: text('carrier').notNull(),
    trackingCode: text('tracking_code').notNull(),
    service: text('service'),
    /** EasyPost's normalised status: unknown, pre_transit, in_transit, out_for_delivery, ... */
    status: text('status').notNull().default('unknown'),
    statusDetail: text('status_detail'),
    promisedDate: text('promised_date'),
    carrierEstimateAt: integer('carrier_estimate_at'),
    /** The carrier's first scan (the parcel is really on its way). */
    firstScanAt: integer('first_scan_at'),
    deliveredAt: integer('delivered_at'),
    lastEventAt: integer('last_event_at'),
    signedBy: text('signed_by'),
    trackerId: text('tracker_id'),
    /** The carrier tracker's updated_at of the newest snapshot applied: older snapshots never move the status. */
    trackerUpdatedAt: integer('tracker_updated_at'),
    publicUrl: text('public_url'),
    /** Carrier sync: when this shipment is next due, and who holds it (a lease) until when. */
    nextSyncAt: integer('next_sync_at'),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until'),
    syncAttempts: integer('sync_attempts').notNull().default(0),
    lastSyncError: text('last_sync_error'),
    /** When the parcel counts as late (its first estimate plus the store's grace), while that is still to be told. */
    lateAt: integer('late_at'),
    /** When silence from the carrier becomes worth telling (no first scan, or no scan for too long). */
    quietAt: integer('quiet_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('shipments_store_tracking_idx').on(t.storeId, t.trackingCode),
    index('shipments_order_idx').on(t.orderId),
    index('shipments_next_sync_idx').on(t.nextSyncAt),
    index('shipments_tracker_idx').on(t.trackerId),
    index('shipments_late_idx').on(t.lateAt),
    index('shipments_quiet_idx').on(t.quietAt),
  ],
);

export const shipmentItems = sqliteTable(
  'shipment_items',
  {
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipments.id),
    storeId: text('store_id').notNull(),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shipmentId, t.sku] })],
);

export const trackingEvents = sqliteTable(
  'tracking_events',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipments.id),
    occurredAt: integer('occurred_at').notNull(),
    status: text('status').notNull(),
    statusDetail: text('status_detail'),
    message: text('message').notNull(),
    city: text('city'),
    state: text('state'),
    country: text('country'),
    postalCode: text('postal_code'),
    /** Identifies one carrier event however often it arrives (time + status + message). */
    dedupeKey: text('dedupe_key').notNull(),
  },
  (t) => [
    uniqueIndex('tracking_events_dedupe_idx').on(t.shipmentId, t.dedupeKey),
    index('tracking_events_shipment_time_idx').on(t.shipmentId, t.occurredAt),
  ],
);

/** Fixed-window counters shared by every instance (look-up attempts, sign-ins, ...). */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});

/**
 * A change feed: one row whenever something a shopper page shows has changed. Every instance
 * follows it to drop cached pages and to wake live updates. order_id null means the whole store.
 */
export const pageChanges = sqliteTable(
  'page_changes',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    storeId: text('store_id').notNull(),
    orderId: text('order_id'),
    changedAt: integer('changed_at').notNull(),
  },
  (t) => [index('page_changes_time_idx').on(t.changedAt)],
);

/**
 * A delay or exception told to the shopper: recorded once per parcel and kind while open
 * (a partial unique index), cleared when the parcel moves again or arrives.
 */
export const notices = sqliteTable(
  'notices',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    /** Null for an order-level notice (delayed dispatch). */
    shipmentId: text('shipment_id').references(() => shipments.id),
    /** late | stalled | not_scanned | exception | delayed_dispatch */
    kind: text('kind').notNull(),
    /** For exceptions: the carrier's status and detail (failure/address_not_found, return_to_sender, …). */
    reason: text('reason'),
    /** A revised delivery date ('YYYY-MM-DD') when one is known. */
    revisedDate: text('revised_date'),
    /** True when a person at the store must act (a case was opened). */
    needsPerson: integer('needs_person', { mode: 'boolean' }).notNull().default(false),
    openedAt: integer('opened_at').notNull(),
    clearedAt: integer('cleared_at'),
    /** Notice identity for the notification outbox: open notices are unique by it. */
    scope: text('scope').notNull(),
  },
  (t) => [
    uniqueIndex('notices_open_scope_idx')
      .on(t.scope, t.kind)
      .where(sql`cleared_at is null`),
    index('notices_order_idx').on(t.orderId),
    index('notices_store_open_idx')
      .on(t.storeId, t.openedAt)
      .where(sql`cleared_at is null`),
  ],
);

/** Something a person at the store must handle: carrier exceptions, shoppers' problem reports. */
export const cases = sqliteTable(
  'cases',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    shipmentId: text('shipment_id').references(() => shipments.id),
    /** exception | problem_report */
    source: text('source').notNull(),
    /** e.g. lost, damaged, return_to_sender, delivery_failed, missing_item, wrong_item, not_received */
    kind: text('kind').notNull(),
    message: text('message'),
    /** open | in_progress | resolved */
    status: text('status').notNull(),
    /** Dedupes a case: at most one open case per parcel and kind. */
    dedupeKey: text('dedupe_key').notNull(),
    assigneeUserId: text('assignee_user_id'),
    resolvedAt: integer('resolved_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('cases_open_dedupe_idx')
      .on(t.dedupeKey)
      .where(sql`status != 'resolved'`),
    index('cases_store_status_idx').on(t.storeId, t.status),
    index('cases_store_status_created_idx').on(t.storeId, t.status, t.createdAt),
    index('cases_order_idx').on(t.orderId),
  ],
);

/** Merchant staff. Email is unique across the deployment: it alone identifies an account at sign-in. */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id),
    email: text('email').notNull(),
    emailNorm: text('email_norm').notNull().unique(),
    name: text('name'),
    /** owner | staff */
    role: text('role').notNull(),
    /** Argon2id (PHC string). */
    passwordHash: text('password_hash').notNull(),
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lockedUntil: integer('locked_until'),
    disabledAt: integer('disabled_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('users_store_idx').on(t.storeId)],
);

/** Sessions the Lucia way: the id is the SHA-256 of the cookie's token; the token is never stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    expiresAt: integer('expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** One-time password-reset links (hash of the token only). */
export const passwordResets = sqliteTable('password_resets', {
  id: text('id').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  createdAt: integer('created_at').notNull(),
});

/** Who changed what, when: every admin and settings-API change. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    /** Null when the store's own systems changed it through the API. */
    userId: text('user_id'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
    at: integer('at').notNull(),
  },
  (t) => [index('audit_store_time_idx').on(t.storeId, t.at)],
);

/** Every version of a store's policies, so a decision can be traced to the policy in force. */
export const policyVersions = sqliteTable(
  'policy_versions',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    version: integer('version').notNull(),
    policies: text('policies', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('policy_versions_store_version_idx').on(t.storeId, t.version)],
);

/** Files a store uploaded (its logo), re-served with a safe content type. */
export const storeAssets = sqliteTable(
  'store_assets',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    contentType: text('content_type').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
    sha256: text('sha256').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('store_assets_store_idx').on(t.storeId)],
);

/** Internal notes on a case, by staff. */
export const caseNotes = sqliteTable(
  'case_notes',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    userId: text('user_id').notNull(),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('case_notes_case_idx').on(t.caseId)],
);

/**
 * A device following an order through web push: the browser's PushSubscription. One row per
 * (order, endpoint): the same device subscribing twice is one row; one device may follow many
 * orders (one row each) and nothing links them for anyone holding one order's link.
 */
export const pushSubscriptions = sqliteTable(
  'push_subscriptions',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    endpoint: text('endpoint').notNull(),
    /** The browser's P-256 public key and auth secret (base64url), for aes128gcm encryption. */
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('push_subscriptions_order_endpoint_idx').on(t.orderId, t.endpoint)],
);

/**
 * The notification outbox: one row per (subscription, event key), so an event is queued at most
 * once per device. Status: pending → claimed (leased) → sending (written before the POST) → sent,
 * or pending again (retry), failed, superseded (a newer update for the same parcel was queued
 * first), expired (older than its TTL when its turn came), abandoned (found in "sending" after a
 * crash: never resent, at most once). A 404/410 deletes the subscription and its rows.
 */
export const notificationOutbox = sqliteTable(
  'notification_outbox',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id').notNull(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => pushSubscriptions.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    eventKey: text('event_key').notNull(),
    shipmentId: text('shipment_id'),
    returnId: text('return_id'),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (t) => [
    uniqueIndex('notification_outbox_sub_key_idx').on(t.subscriptionId, t.eventKey),
    index('notification_outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
    // Only claimed or sending rows hold a lease; "lease_until < now" uses this index (it implies not null).
    index('notification_outbox_leased_idx')
      .on(t.leaseUntil)
      .where(sql`lease_until is not null`),
  ],
);
