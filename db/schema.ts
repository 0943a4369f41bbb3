// The database schema, written once for SQLite and PostgreSQL (db/columns.ts). Times are integer
// epoch milliseconds; calendar dates (a promised delivery day) are 'YYYY-MM-DD' text. Ids are random text so rows can move between databases.
// Every row that belongs to a store carries store_id, and every query filters on it.
import { sql } from 'drizzle-orm';
import { autoIncrementKey, blob, index, integer, primaryKey, table, text, uniqueIndex } from './columns.ts';

export const stores = table('stores', {
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
  /** DKIM signing of the store's emails: the signing domain (d=), selector (s=) and the private key (PEM, RSA or Ed25519), encrypted as the EasyPost key is. */
  dkimDomain: text('dkim_domain'),
  dkimSelector: text('dkim_selector'),
  dkimKeyEnc: text('dkim_key_enc'),
  /** The version of `settings` in force (see policy_versions). */
  policyVersion: integer('policy_version').notNull().default(1),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const apiKeys = table(
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

export const orders = table(
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
    /** Email (issue #19): the shopper agreed to marketing messages (review invitations and the like). */
    marketingConsent: integer('marketing_consent', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('orders_store_number_idx').on(t.storeId, t.numberNorm),
    index('orders_store_email_idx').on(t.storeId, t.emailNorm),
    index('orders_dispatch_due_idx').on(t.dispatchDueAt),
  ],
);

export const orderItems = table(
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
  (t) => [
    uniqueIndex('order_items_order_sku_idx').on(t.orderId, t.sku),
    // Who bought a product, for reorders, learned replenishment intervals and "bought together".
    index('order_items_store_product_idx').on(t.storeId, t.productId),
  ],
);

export const shipments = table(
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
    /** When this parcel's items become reviewable (delivery + the store's delay, or the fallback), until the invitation scan has handled it. */
    reviewDueAt: integer('review_due_at'),
    /** Set when this parcel is a shopper's return coming back (returns.id): hidden from the outbound order page. */
    returnId: text('return_id'),
    // --- Analytics (issue 16) ---
    /** The first estimate the shopper was shown ('YYYY-MM-DD' in the order's zone), fixed once set: on time means delivered on or before it. */
    firstEstimateDate: text('first_estimate_date'),
    /** Where that first estimate came from: store | carrier | rule. */
    firstEstimateSource: text('first_estimate_source'),
    /** What this parcel adds to delivery_daily now (src/server/analytics/parcel-contribution.ts), so a change moves it exactly. */
    countedAs: text('counted_as'),
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
    index('shipments_review_due_idx')
      .on(t.reviewDueAt)
      .where(sql`review_due_at is not null`),
    /** The check-in scan reads the parcels delivered in its window (src/server/checkins/scan-checkins.ts). */
    index('shipments_delivered_idx')
      .on(t.deliveredAt)
      .where(sql`delivered_at is not null`),
    /** The after-delivery job reads a store's parcels delivered in its window (src/server/lifecycle/lifecycle-facts.ts). */
    index('shipments_store_delivered_idx')
      .on(t.storeId, t.deliveredAt)
      .where(sql`delivered_at is not null`),
  ],
);

export const shipmentItems = table(
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

export const trackingEvents = table(
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
    // Also the index of a parcel's events (shipment_id first): a parcel has tens of events, sorted
    // by time after the read; a second index by (shipment, time) cost every insert one more random page.
    uniqueIndex('tracking_events_dedupe_idx').on(t.shipmentId, t.dedupeKey),
  ],
);

/** Fixed-window counters shared by every instance (look-up attempts, sign-ins, ...). */
export const rateLimits = table('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});

/**
 * Who runs a job that must run on one worker at a time, and until when: the holder renews it every
 * round; when it stops (or dies) the lease runs out and another worker takes the job over.
 */
export const jobLeases = table('job_leases', {
  name: text('name').primaryKey(),
  owner: text('owner').notNull(),
  leaseUntil: integer('lease_until').notNull(),
});

/**
 * Secrets every instance sharing a PostgreSQL database must hold alike (the VAPID key pair when
 * the environment gives none): generated once by whichever instance starts first (insert, or keep
 * the row already there) and read back by all. value is the secret's JSON.
 */
export const sharedSecrets = table('shared_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * A change feed: one row whenever something a shopper page shows has changed. Every instance
 * follows it to drop cached pages and to wake live updates. order_id null means the whole store.
 */
export const pageChanges = table(
  'page_changes',
  {
    seq: autoIncrementKey('seq'),
    storeId: text('store_id').notNull(),
    orderId: text('order_id'),
    changedAt: integer('changed_at').notNull(),
    /**
     * 1 once a portal has taken on re-rendering the change's pages: the committing portal marks its
     * own at insert; a change from a process without a render queue (the worker) stays 0 until one
     * portal claims it (a conditional UPDATE, so exactly one wins). See README, "Fresh pages".
     */
    claimed: integer('claimed').notNull().default(0),
  },
  (t) => [index('page_changes_time_idx').on(t.changedAt)],
);

/**
 * PostgreSQL's guard on the page store's write (issue #17): one row per order (order_id '' for the
 * store's store-wide changes) holding the transaction id (xid8 as a number) of the last change
 * that recorded a page change for it. The change's transaction updates it, so it holds the row's
 * lock until it commits; a page write takes the row FOR SHARE (waiting for a change still open)
 * and refuses the page when that transaction was not yet committed when the render began. SQLite
 * (one writer at a time, seqs committing in order) leaves the table empty. See README, "Fresh pages".
 */
export const pageVersions = table(
  'page_versions',
  {
    storeId: text('store_id').notNull(),
    orderId: text('order_id').notNull(),
    /** pg_current_xact_id() of the last change; null: none yet (the row was made by a page write). */
    xact: integer('xact'),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.orderId] })],
);

// --- Fresh pages (issue #18): the page store ---------------------------------------------------
/**
 * Rendered shopper pages as bytes, shared by every instance: one row per page and language, with
 * the plain and pre-compressed bytes, the ETag and the answer's headers. `version` is the change
 * feed's sequence the page was rendered from (a render never replaces a newer one, and is not
 * written at all when its order or store changed since); a change deletes its rows in the
 * writing transaction. `stale_at` is the next midnight in the order's time zone (wording such as
 * dates depends on the local day): a row past it is never served, and the prune job deletes it.
 */
export const pageStore = table(
  'page_store',
  {
    /** The page's path, e.g. /demo/t/<token> (it holds the store's slug). */
    pageKey: text('page_key').notNull(),
    /** The language shown: `?lang=` when asked for, else the order's own. */
    lang: text('lang').notNull(),
    /** True for the row a request without `?lang=` is answered with. */
    ownLanguage: integer('own_language', { mode: 'boolean' }).notNull(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id').notNull(),
    body: blob('body', { mode: 'buffer' }).notNull(),
    gzip: blob('gzip', { mode: 'buffer' }).notNull(),
    brotli: blob('brotli', { mode: 'buffer' }).notNull(),
    etag: text('etag').notNull(),
    /** JSON: [name, value] pairs of the rendered answer's headers. */
    headers: text('headers', { mode: 'json' }).notNull().$type<[string, string][]>(),
    version: integer('version').notNull(),
    renderedAt: integer('rendered_at').notNull(),
    /** The order's local day (YYYY-MM-DD) the wording was rendered for. */
    localDay: text('local_day').notNull(),
    staleAt: integer('stale_at').notNull(),
    /** Set by the midnight sweep on a page rendered ahead for the next local day: not served before then. */
    freshFrom: integer('fresh_from'),
    /** When a shopper last read the page (coarse: written at most once a day per process); the sweep renders only pages read recently. */
    readAt: integer('read_at'),
    /** The stale_at a midnight sweep claimed this row for, so one sweeper renders it (sweep-ahead.ts). */
    sweptFor: integer('swept_for'),
  },
  (t) => [
    primaryKey({ columns: [t.pageKey, t.lang] }),
    index('page_store_order_idx').on(t.storeId, t.orderId),
    index('page_store_stale_idx').on(t.staleAt),
  ],
);
// --- end of fresh pages ------------------------------------------------------------------------

/**
 * A delay or exception told to the shopper: recorded once per parcel and kind while open
 * (a partial unique index), cleared when the parcel moves again or arrives.
 */
export const notices = table(
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
    // Analytics (issue 16): notices opened in a period, open or cleared.
    index('notices_store_opened_idx').on(t.storeId, t.openedAt),
  ],
);

/** Something a person at the store must handle: carrier exceptions, shoppers' problem reports. */
export const cases = table(
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
    /** A warranty claim's product registration (registrations.id), shown with the case. */
    registrationId: text('registration_id'),
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
export const users = table(
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
export const sessions = table(
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
export const passwordResets = table('password_resets', {
  id: text('id').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  createdAt: integer('created_at').notNull(),
});

/** Who changed what, when: every admin and settings-API change. */
export const auditLog = table(
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
export const policyVersions = table(
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
export const storeAssets = table(
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
export const caseNotes = table(
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
 * Every review invitation, one row per item of an order (unique), so the store can show that it
 * asked every eligible buyer, when, and for which items.
 */
export const reviewInvitations = table(
  'review_invitations',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    shipmentId: text('shipment_id').references(() => shipments.id),
    sku: text('sku').notNull(),
    productId: text('product_id').notNull(),
    /** delivery | fulfilment: what the invitation was timed from. */
    basis: text('basis').notNull(),
    /** When the item became reviewable by the policy. */
    reviewableAt: integer('reviewable_at').notNull(),
    invitedAt: integer('invited_at').notNull(),
    policyVersion: integer('policy_version').notNull(),
  },
  (t) => [
    uniqueIndex('review_invitations_order_sku_idx').on(t.orderId, t.sku),
    index('review_invitations_store_time_idx').on(t.storeId, t.invitedAt),
  ],
);

/**
 * "Did everything arrive as it should?": one row per delivered parcel once the check-in scan has
 * handled it or the shopper has answered. askedAt is when the email/push went (null: answered from
 * the page first, or not asked: see skipped); the answer, once given, stands.
 */
export const checkins = table(
  'checkins',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipments.id),
    askedAt: integer('asked_at'),
    /** Why the shopper was not asked: case_open | return_open | too_late | switched_off (null: asked, or answered first). */
    skipped: text('skipped'),
    /** all_good | problem, or null while unanswered. */
    answer: text('answer'),
    message: text('message'),
    /** The case a `problem` answer opened. */
    caseId: text('case_id'),
    answeredAt: integer('answered_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('checkins_shipment_idx').on(t.shipmentId),
    index('checkins_store_asked_idx').on(t.storeId, t.askedAt),
    // Parcels answered from the page before (or without) being asked count from their answer (checkinFigures).
    index('checkins_store_answered_unasked_idx')
      .on(t.storeId, t.answeredAt)
      .where(sql`asked_at is null`),
    index('checkins_order_idx').on(t.orderId),
  ],
);

/** A verified buyer's review of one product of one order (unique per order and product). */
export const reviews = table(
  'reviews',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    productId: text('product_id').notNull(),
    /** The SKUs of the order this review covers (JSON array). */
    skus: text('skus', { mode: 'json' }).notNull().$type<string[]>(),
    productTitle: text('product_title').notNull(),
    productImageUrl: text('product_image_url'),
    rating: integer('rating').notNull(),
    title: text('title'),
    body: text('body'),
    displayName: text('display_name').notNull(),
    /** pending | published | rejected */
    status: text('status').notNull(),
    /** abusive | personal_data | off_topic | spam | not_about_product, when rejected. */
    rejectReason: text('reject_reason'),
    /** When a pending review is published unless someone rejects it (after_hold). */
    publishAt: integer('publish_at'),
    publishedAt: integer('published_at'),
    reply: text('reply'),
    repliedAt: integer('replied_at'),
    caseId: text('case_id'),
    /** The shopper may edit it through the order link until then. */
    editableUntil: integer('editable_until').notNull(),
    policyVersion: integer('policy_version').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('reviews_order_product_idx').on(t.orderId, t.productId),
    index('reviews_store_product_status_idx').on(t.storeId, t.productId, t.status, t.publishedAt),
    index('reviews_store_status_time_idx').on(t.storeId, t.status, t.createdAt),
    index('reviews_publish_due_idx')
      .on(t.publishAt)
      .where(sql`publish_at is not null`),
  ],
);

/**
 * A shopper's return: what comes back, what they get, under which policy version, and the prepaid
 * label. The label is bought at most once: an idempotency key unique per store, a purchase lease,
 * and the EasyPost shipment id stored before buying (see src/server/returns/README.md).
 */
export const returns = table(
  'returns',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    /** Random part of the return page's signed token (like orders.access_id). */
    accessId: text('access_id').notNull().unique(),
    /** The one-time key the confirming form carried: the same key again is the same return. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** requested | approved | label_ready | in_transit | received | refunded | credited | exchanged | rejected | cancelled */
    status: text('status').notNull(),
    /** refund | store_credit | exchange */
    resolution: text('resolution').notNull(),
    /** The shopper's email as look-ups compare it, for the per-customer cap. */
    emailNorm: text('email_norm').notNull(),
    currency: text('currency').notNull(),
    itemsAmount: integer('items_amount').notNull(),
    shippingFee: integer('shipping_fee').notNull(),
    restockingFee: integer('restocking_fee').notNull(),
    creditBonus: integer('credit_bonus').notNull(),
    /** What the shopper gets back (refund or credit), in minor units. */
    totalBack: integer('total_back').notNull(),
    policyVersion: integer('policy_version').notNull(),
    /** first_scan | delivered | inspected, copied from the policy in force. */
    refundReleasedOn: text('refund_released_on').notNull(),
    needsReview: integer('needs_review', { mode: 'boolean' }).notNull().default(false),
    approvedAt: integer('approved_at'),
    rejectedReason: text('rejected_reason'),
    outcomeNote: text('outcome_note'),
    refundReleasedAt: integer('refund_released_at'),
    inTransitAt: integer('in_transit_at'),
    receivedAt: integer('received_at'),
    closedAt: integer('closed_at'),
    /** none (not approved yet) | pending | bought | failed | voided */
    labelState: text('label_state').notNull().default('none'),
    labelAttempts: integer('label_attempts').notNull().default(0),
    labelNextAttemptAt: integer('label_next_attempt_at'),
    labelLeaseOwner: text('label_lease_owner'),
    labelLeaseUntil: integer('label_lease_until'),
    labelError: text('label_error'),
    easypostShipmentId: text('easypost_shipment_id'),
    trackingCode: text('tracking_code'),
    carrier: text('carrier'),
    service: text('service'),
    labelRate: integer('label_rate'),
    labelPdfUrl: text('label_pdf_url'),
    labelPngUrl: text('label_png_url'),
    qrCodeUrl: text('qr_code_url'),
    labelBoughtAt: integer('label_bought_at'),
    /** When an unused label is voided, before the carrier's refund deadline. */
    labelVoidAt: integer('label_void_at'),
    labelVoidedAt: integer('label_voided_at'),
    /** The shipments row that tracks the return parcel (shipments.return_id points back). */
    parcelShipmentId: text('parcel_shipment_id'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('returns_store_key_idx').on(t.storeId, t.idempotencyKey),
    index('returns_store_created_idx').on(t.storeId, t.createdAt),
    index('returns_order_idx').on(t.orderId),
    index('returns_store_email_idx').on(t.storeId, t.emailNorm, t.createdAt),
    index('returns_label_due_idx').on(t.labelNextAttemptAt),
    index('returns_void_due_idx').on(t.labelVoidAt),
  ],
);

/** The units of one SKU in a return, with the shopper's reason. */
export const returnItems = table(
  'return_items',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    returnId: text('return_id')
      .notNull()
      .references(() => returns.id),
    orderId: text('order_id').notNull(),
    sku: text('sku').notNull(),
    productId: text('product_id').notNull(),
    title: text('title').notNull(),
    quantity: integer('quantity').notNull(),
    unitAmount: integer('unit_amount').notNull(),
    reason: text('reason').notNull(),
    note: text('note'),
    photoAssetId: text('photo_asset_id'),
    exchangeSku: text('exchange_sku'),
  },
  (t) => [index('return_items_return_idx').on(t.returnId), index('return_items_order_sku_idx').on(t.orderId, t.sku)],
);

/** What happened to a return and who did it, under which policy version: its timeline and audit trail. */
export const returnEvents = table(
  'return_events',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    returnId: text('return_id')
      .notNull()
      .references(() => returns.id),
    /** A status reached, or label_failed / label_voided / note. */
    kind: text('kind').notNull(),
    actor: text('actor').notNull(),
    policyVersion: integer('policy_version').notNull(),
    note: text('note'),
    at: integer('at').notNull(),
  },
  (t) => [index('return_events_return_idx').on(t.returnId, t.at)],
);

/**
 * The store's catalogue (PUT /api/v1/products/{productId}): exchanges offer a product's available
 * variants; after delivery its care guide, warranty, replenishment interval and related products.
 */
export const products = table(
  'products',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    productId: text('product_id').notNull(),
    title: text('title').notNull(),
    url: text('url'),
    imageUrl: text('image_url'),
    /** How to use and care for it (issue #15): shown from delivery on and in the delivered email. */
    careGuide: text('care_guide', { mode: 'json' }).$type<{ title: string; body: string; url: string | null }>(),
    /** Months of warranty from the delivery date; null: no warranty to register. */
    warrantyMonths: integer('warranty_months'),
    /** Days a consumable lasts, for the replenishment reminder; null: learned from repeat orders, if any. */
    replenishAfterDays: integer('replenish_after_days'),
    /** Product ids the store suggests with this one. */
    related: text('related', { mode: 'json' }).notNull().$type<string[]>().default([]),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('products_store_product_idx').on(t.storeId, t.productId)],
);

/**
 * A shopper's product registration (issue #15): one per order and SKU (registering again updates
 * the serial). The warranty runs from the delivery day for the product's warrantyMonths, both fixed
 * here when registered so a later catalogue change does not move a promise already made.
 */
export const registrations = table(
  'registrations',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    sku: text('sku').notNull(),
    productId: text('product_id').notNull(),
    title: text('title').notNull(),
    serial: text('serial'),
    /** The delivery day, 'YYYY-MM-DD' in the order's time zone. */
    deliveredOn: text('delivered_on').notNull(),
    warrantyMonths: integer('warranty_months').notNull(),
    /** 'YYYY-MM-DD': the delivery day plus warrantyMonths. */
    warrantyEndsOn: text('warranty_ends_on').notNull(),
    /** The shopper agreed to a reminder a month before the warranty ends. */
    reminders: integer('reminders', { mode: 'boolean' }).notNull().default(false),
    /** When the reminder is due (a month before the end), while it is still to be sent; null: none due. */
    remindAt: integer('remind_at'),
    registeredAt: integer('registered_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('registrations_order_sku_idx').on(t.orderId, t.sku),
    index('registrations_store_time_idx').on(t.storeId, t.registeredAt),
    index('registrations_remind_idx')
      .on(t.remindAt)
      .where(sql`remind_at is not null`),
  ],
);

export const productVariants = table(
  'product_variants',
  {
    storeId: text('store_id').notNull(),
    productRowId: text('product_row_id')
      .notNull()
      .references(() => products.id),
    sku: text('sku').notNull(),
    title: text('title').notNull(),
    available: integer('available', { mode: 'boolean' }).notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.sku] }), index('product_variants_product_idx').on(t.productRowId)],
);

/**
 * A device following an order through web push: the browser's PushSubscription. One row per
 * (order, endpoint): the same device subscribing twice is one row; one device may follow many
 * orders (one row each) and nothing links them for anyone holding one order's link.
 */
export const pushSubscriptions = table(
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
export const notificationOutbox = table(
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
    /** The message ledger's row for this push (messages.id): the outbox is push's delivery queue, the ledger its record. */
    messageId: text('message_id'),
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

// ── Events out (issue #14): what happened, as the store's other systems are told it ──────────────

/** Every event Waypost tells the outside world, written in the transaction of the change that caused it. */
export const events = table(
  'events',
  {
    /** `evt_…`, stable: every delivery of this event, to every endpoint and on every retry, carries it. */
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    type: text('type').notNull(),
    version: integer('version').notNull(),
    data: text('data', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    /** One event per happening (e.g. `shipment:<id>:delivered`): the same carrier news twice makes one event. */
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('events_store_dedupe_idx').on(t.storeId, t.dedupeKey), index('events_store_created_idx').on(t.storeId, t.createdAt)],
);

/** Where a store's events go: a signed Standard Webhooks endpoint, or Klaviyo's Events API. */
export const webhookEndpoints = table(
  'webhook_endpoints',
  {
    /** `ep_…` */
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    /** `webhook` (Standard Webhooks) or `klaviyo` (its private API key sealed in secret_enc). */
    kind: text('kind').notNull().default('webhook'),
    url: text('url').notNull(),
    /** Event types, or ["*"]. */
    eventTypes: text('event_types', { mode: 'json' }).notNull().$type<string[]>(),
    description: text('description'),
    /** The signing secret `whsec_…` (or Klaviyo's key), sealed with security/keys.ts. */
    secretEnc: text('secret_enc').notNull(),
    /** The secret before the last rotation, still signing beside the new one until previous_secret_until. */
    previousSecretEnc: text('previous_secret_enc'),
    previousSecretUntil: integer('previous_secret_until'),
    /** active | paused (by the store) | disabled (failing for days; the owner is told). */
    status: text('status').notNull().default('active'),
    /** Since when every attempt has failed (null after any success). */
    failingSince: integer('failing_since'),
    disabledAt: integer('disabled_at'),
    disabledReason: text('disabled_reason'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('webhook_endpoints_store_idx').on(t.storeId)],
);

/**
 * One event for one endpoint, at least once: pending ──claim──▶ sending ──▶ succeeded | pending (retry) | failed.
 * A lease that runs out while sending (the sender died) puts the row back to pending: sent again
 * with the same webhook-id. Shaped to be listed as a ledger message of channel "webhook".
 */
export const webhookDeliveries = table(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull(),
    /** The order the event is about (null: a test event, or one about no order): the order's ledger lists it. */
    orderId: text('order_id'),
    type: text('type').notNull(),
    /** The exact body sent on every attempt: {type, timestamp, data}. */
    body: text('body').notNull(),
    /** pending | sending | succeeded | failed */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until'),
    lastAttemptAt: integer('last_attempt_at'),
    /** The HTTP status of the last answer (null: no answer: timeout, refused address, connection error). */
    lastStatus: integer('last_status'),
    /** The start of the last answer's body (at most 2 KB) or what went wrong. */
    lastAnswer: text('last_answer'),
    lastDurationMs: integer('last_duration_ms'),
    createdAt: integer('created_at').notNull(),
    deliveredAt: integer('delivered_at'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_endpoint_event_idx').on(t.endpointId, t.eventId),
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
    index('webhook_deliveries_leased_idx')
      .on(t.leaseUntil)
      .where(sql`lease_until is not null`),
    index('webhook_deliveries_store_created_idx').on(t.storeId, t.createdAt),
    index('webhook_deliveries_store_order_idx').on(t.storeId, t.orderId),
  ],
);

/**
 * Every attempt of a delivery, the last 20 of each (older ones are deleted as new ones come):
 * what was sent (the URL, the headers with any credential masked, a SHA-256 of the body, which is
 * the delivery's own) and what came back (status, the first 2 KB, the time taken, or the error).
 * "Send again" adds one with the same webhook-id.
 */
export const webhookDeliveryAttempts = table(
  'webhook_delivery_attempts',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    /** 1, 2, …: the delivery's attempt count when it was made. */
    attempt: integer('attempt').notNull(),
    /** The webhook-id sent (the event's id): the same on every attempt. */
    webhookId: text('webhook_id').notNull(),
    url: text('url').notNull(),
    /** JSON: the request headers, credentials masked. */
    requestHeaders: text('request_headers', { mode: 'json' }).notNull().$type<Record<string, string>>(),
    bodySha256: text('body_sha256').notNull(),
    startedAt: integer('started_at').notNull(),
    durationMs: integer('duration_ms'),
    /** The HTTP status (null: no answer). */
    status: integer('status'),
    /** The start of the answer's body (at most 2 KB). */
    answer: text('answer'),
    /** What went wrong when there was no answer (timeout, refused address, the sender stopped). */
    error: text('error'),
  },
  (t) => [uniqueIndex('webhook_delivery_attempts_delivery_idx').on(t.deliveryId, t.attempt)],
);

// --- Analytics (issue 16) ---

/**
 * Delivered parcels per store, local delivery day (the order's zone), carrier, service, destination
 * country and transit days (-1: no first scan): a histogram, so medians and p90 are exact. Kept up
 * to date in the transaction that changes a parcel; `waypost analytics:rebuild` recomputes it.
 */
export const deliveryDaily = table(
  'delivery_daily',
  {
    storeId: text('store_id').notNull(),
    day: text('day').notNull(),
    carrier: text('carrier').notNull(),
    /** '' when the parcel has no service. */
    service: text('service').notNull(),
    /** ISO 3166 alpha-2 of the shipping address, '' when unknown. */
    country: text('country').notNull(),
    transitDays: integer('transit_days').notNull(),
    parcels: integer('parcels').notNull(),
    onTime: integer('on_time').notNull(),
    firstAttempt: integer('first_attempt').notNull(),
    /** Parcels that had a late notice before they arrived. */
    toldLate: integer('told_late').notNull(),
    /** Parcels that had a carrier exception notice before they arrived. */
    hadException: integer('had_exception').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.day, t.carrier, t.service, t.country, t.transitDays] })],
);

/**
 * Delivered units per store, local delivery day (the order's zone, as delivery_daily) and product:
 * the denominator of a product's return rate, kept beside delivery_daily by the same parcel
 * contribution (a parcel's products and units are part of shipments.counted_as).
 */
export const productDeliveryDaily = table(
  'product_delivery_daily',
  {
    storeId: text('store_id').notNull(),
    day: text('day').notNull(),
    productId: text('product_id').notNull(),
    units: integer('units').notNull(),
    parcels: integer('parcels').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.day, t.productId] })],
);

/** Order-page visits per store, order and local (UTC) day: no cookie, no address, nothing personal. */
export const orderPageViews = table(
  'order_page_views',
  {
    storeId: text('store_id').notNull(),
    orderId: text('order_id').notNull(),
    /** 'YYYY-MM-DD' (UTC). */
    day: text('day').notNull(),
    views: integer('views').notNull(),
    firstAt: integer('first_at').notNull(),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.orderId, t.day] }), index('order_page_views_store_day_idx').on(t.storeId, t.day)],
);

// ── Messages (issue #19): one ledger of what each shopper was told, on every channel ──────────

/**
 * The message ledger: one row per message on any channel (email, push, and, once joined, the
 * events-out webhooks). Unique per store by dedupe key, so the same news twice is one message.
 * Status: queued (due at next_attempt_at) → sending (written before the SMTP transaction or push
 * POST) → sent; or scheduled (held for quiet hours or grouping, then queued), failed, suppressed
 * (the address refused mail permanently), superseded (newer news of the same parcel came first),
 * expired (stale when its turn came), not_sent (rendered and recorded, no SMTP configured).
 * Email rows are claimed by the email job under a lease (lease_owner, lease_until).
 */
export const messages = table(
  'messages',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id').notNull(),
    shipmentId: text('shipment_id'),
    returnId: text('return_id'),
    kind: text('kind').notNull(),
    /** email | push | webhook */
    channel: text('channel').notNull(),
    /** The address, the push endpoint's host, or the webhook URL. */
    recipient: text('recipient').notNull(),
    language: text('language').notNull(),
    /** service | marketing */
    messageClass: text('message_class').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    status: text('status').notNull(),
    /** The SMTP Message-ID (chosen before sending), the push endpoint, the webhook id. */
    providerId: text('provider_id'),
    subject: text('subject'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at'),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until'),
    lastError: text('last_error'),
    /** When the news happened (the carrier's event, the move): news already stale when queued sends nothing. */
    newsAt: integer('news_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    sentAt: integer('sent_at'),
    /**
     * Status "covered": this parcel's news was told in another email of the ledger (a split order's
     * parcel that joined the waiting dispatch email); that email's id. The row itself is never sent.
     */
    coveredBy: text('covered_by'),
    /** Set when the prune job deleted this message's links (message_links): how many of them had been followed, still counted by analytics. */
    prunedClicks: integer('pruned_clicks'),
  },
  (t) => [
    uniqueIndex('messages_store_dedupe_idx').on(t.storeId, t.dedupeKey),
    index('messages_order_idx').on(t.orderId),
    index('messages_store_created_idx').on(t.storeId, t.createdAt),
    index('messages_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`status in ('queued', 'scheduled') and channel = 'email'`),
    index('messages_leased_idx')
      .on(t.leaseUntil)
      .where(sql`lease_until is not null`),
    // Analytics' follow-up and replenishment figures: the sent ones of two kinds, by the time sent.
    index('messages_store_kind_sent_idx').on(t.storeId, t.kind, t.status, t.sentAt),
    // Analytics' clicks of pruned links: only the messages that had some, so a year's figures read few rows.
    index('messages_store_pruned_clicks_idx')
      .on(t.storeId, t.createdAt)
      .where(sql`pruned_clicks > 0`),
  ],
);

/**
 * The ledger counted for analytics: per store, UTC hour of queueing (floor(created_at / 3,600,000)),
 * channel, kind and status, how many messages queued in that hour are in that status now. Kept by
 * database triggers on messages (db/migrations*: message_hourly triggers) in the statement that
 * inserts, moves or deletes a message, whichever code path does it, so it is always exact; a period
 * reads its whole hours here and only its partial edge hours (zones off the hour) from the ledger.
 */
export const messageHourly = table(
  'message_hourly',
  {
    storeId: text('store_id').notNull(),
    hour: integer('hour').notNull(),
    channel: text('channel').notNull(),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.hour, t.channel, t.kind, t.status] })],
);

/** Addresses a store must not email: refused permanently by their mail server (5xx to RCPT TO) or unsubscribed from marketing. */
export const emailSuppressions = table(
  'email_suppressions',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    emailNorm: text('email_norm').notNull(),
    /** bounce: no email at all; unsubscribe: no marketing email */
    reason: text('reason').notNull(),
    detail: text('detail'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('email_suppressions_store_email_reason_idx').on(t.storeId, t.emailNorm, t.reason)],
);

/**
 * The links of a sent email, each behind our own redirect (GET /{slug}/go/{message_id}/{link_id}):
 * recorded when the email is marked sending, so the redirect only ever goes to a link we put in
 * that message (an unknown or edited one is a 404). A click counts once per message and link
 * (first_clicked_at); clicks counts every follow. No cookie, no address, nothing about the reader.
 */
export const messageLinks = table(
  'message_links',
  {
    messageId: text('message_id').notNull(),
    /** A digest of the target URL (11 URL-safe characters). */
    linkId: text('link_id').notNull(),
    storeId: text('store_id').notNull(),
    /** What the link is: order-page, tracking, return, review, check-in, warranty, product, care-guide, returns-policy, preferences. */
    name: text('name').notNull(),
    url: text('url').notNull(),
    createdAt: integer('created_at').notNull(),
    clicks: integer('clicks').notNull().default(0),
    firstClickedAt: integer('first_clicked_at'),
    lastClickedAt: integer('last_clicked_at'),
  },
  (t) => [
    primaryKey({ columns: [t.messageId, t.linkId] }),
    index('message_links_store_clicked_idx')
      .on(t.storeId, t.firstClickedAt)
      .where(sql`first_clicked_at is not null`),
  ],
);

/**
 * What each replenishment reminder covered: one row per order and product (unique), pointing at
 * the reminder's dedupe key. A customer's consumables due the same local day make one reminder
 * (one key), and a product once reminded is never reminded again for that order.
 */
export const replenishmentItems = table(
  'replenishment_items',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    productId: text('product_id').notNull(),
    /** The reminder's key (`replenishment-day:{order}:{local day}`), without the channel's prefix. */
    messageKey: text('message_key').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('replenishment_items_order_product_idx').on(t.orderId, t.productId),
    index('replenishment_items_key_idx').on(t.storeId, t.messageKey),
  ],
);
