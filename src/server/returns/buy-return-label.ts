// Buys a return's prepaid label exactly once. A purchase lease in the database means two workers
// or two tabs never buy at the same time; the EasyPost shipment id is stored BEFORE buying, and a
// later attempt re-reads that shipment first (a bought one has a postage_label), so a timeout, a
// crash or a retry can never charge twice nor leave a charge without a record. Network calls run
// outside transactions; each transaction is short. The lease runs on the database's clock
// (leases.ts), and a worker paused past it stops at its next write: it neither starts a purchase
// nor records one (the next holder reads the stored shipment back and records it).
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import { classifyCarrierError, easypostFor } from '../carriers/easypost-client.ts';
import { affectedRows, db, firstRow, schema, transaction } from '../db.ts';
import { leaseExpired, leaseHeldBy, leaseUntilIn } from '../leases.ts';
import { log } from '../log.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { readSettings } from '../stores/settings.ts';
import { backoffAfter } from '../tracking/sync-cadence.ts';
import { toEasyPostAddress } from './easypost-address.ts';
import { recordLabel, type BoughtShipment } from './record-label.ts';
import { recordReturnEvent } from './record-return-event.ts';
import type { ReturnMoved } from './return-move.ts';

const LEASE_MS = 60_000;
/** After this many failures the return waits for a person (still visible in the queue, retried hourly). */
const LABEL_ATTEMPTS_BEFORE_SLOWDOWN = 8;

export type LabelOutcome = 'bought' | 'busy' | 'failed' | 'not_due';

/** Tries to buy the label now; 'bought' when it is (now or before), 'busy' when another worker holds the purchase. */
export async function buyReturnLabel(opts: {
  storeId: string;
  returnId: string;
  owner: string;
  now: () => number;
  moved: ReturnMoved;
}): Promise<LabelOutcome> {
  const r = schema.returns;
  const claimed = await transaction((tx) =>
    firstRow(
      tx
        .update(r)
        .set({ labelLeaseOwner: opts.owner, labelLeaseUntil: leaseUntilIn(LEASE_MS) })
        .where(
          and(
            eq(r.id, opts.returnId),
            eq(r.storeId, opts.storeId),
            inArray(r.labelState, ['pending', 'failed']),
            or(isNull(r.labelLeaseUntil), leaseExpired(r.labelLeaseUntil)),
          ),
        )
        .returning(),
    ),
  );
  if (!claimed) {
    const held = await firstRow(
      db()
        .select({ labelState: r.labelState })
        .from(r)
        .where(and(eq(r.id, opts.returnId), eq(r.storeId, opts.storeId))),
    );
    return held?.labelState === 'bought' ? 'bought' : held?.labelState === 'pending' || held?.labelState === 'failed' ? 'busy' : 'not_due';
  }
  const store = await firstRow(db().select().from(schema.stores).where(eq(schema.stores.id, opts.storeId)));
  const order = await firstRow(db().select().from(schema.orders).where(eq(schema.orders.id, claimed.orderId)));
  const returnAddress = store ? readSettings(store.settings).returnAddress : null;
  try {
    if (!store?.easypostKeyEnc) throw new Error('The store has no EasyPost API key');
    if (!returnAddress || !order) throw new Error('The store has no return address');
    const client = easypostFor(store.easypostKeyEnc);
    let shipment: BoughtShipment;
    if (claimed.easypostShipmentId) {
      shipment = plain(await client.Shipment.retrieve(claimed.easypostShipmentId));
    } else {
      const units = await db()
        .select({ q: schema.returnItems.quantity })
        .from(schema.returnItems)
        .where(eq(schema.returnItems.returnId, claimed.id));
      // EasyPost's return semantics: the outbound addresses as they were, is_return swaps them on the label.
      shipment = plain(
        await client.Shipment.create({
          is_return: true,
          reference: `return-${claimed.id}`,
          to_address: { ...toEasyPostAddress(order.shippingAddress), email: order.email },
          from_address: toEasyPostAddress(returnAddress),
          parcel: { weight: Math.max(8, 16 * units.reduce((n, u) => n + u.q, 0)) },
        } as never),
      );
      // Recorded before any money moves: a retry finds this shipment and asks whether it was bought.
      // Not ours any more (paused past the lease): another worker has the purchase, buy nothing.
      const kept = await transaction(async (tx) =>
        affectedRows(
          await tx
            .update(r)
            .set({ easypostShipmentId: shipment.id, updatedAt: opts.now() })
            .where(and(eq(r.id, claimed.id), leaseHeldBy(r.labelLeaseOwner, r.labelLeaseUntil, opts.owner))),
        ),
      );
      if (kept !== 1) return 'busy';
    }
    if (!shipment.postage_label) {
      const rate = cheapest(shipment.rates ?? []);
      if (!rate) throw new Error('EasyPost offered no rate for this return');
      try {
        shipment = plain(await client.Shipment.buy(shipment.id, rate.id));
      } catch (err) {
        // "Postage already exists": an earlier attempt bought it and its answer was lost. Read it back.
        if (!/postage.*exist/i.test(String((err as { message?: string }).message ?? ''))) throw err;
        shipment = plain(await client.Shipment.retrieve(shipment.id));
        if (!shipment.postage_label) throw err;
      }
    }
    shipment = await withPdfAndQr(client, shipment);
    const recorded = await recordLabel({
      storeId: opts.storeId,
      returnId: claimed.id,
      owner: opts.owner,
      shipment,
      now: opts.now(),
      moved: opts.moved,
    });
    return recorded ? 'bought' : 'busy';
  } catch (err) {
    const { message } = classifyCarrierError(err);
    const attempts = claimed.labelAttempts + 1;
    const at = opts.now();
    const next = attempts >= LABEL_ATTEMPTS_BEFORE_SLOWDOWN ? at + 3_600_000 : backoffAfter(attempts, at);
    log.warn({ returnId: claimed.id, attempts, err: message }, 'return label purchase failed');
    await transaction(async (tx) => {
      const moved = affectedRows(
        await tx
          .update(r)
          .set({
            labelState: 'failed',
            labelAttempts: attempts,
            labelNextAttemptAt: next,
            labelError: message,
            labelLeaseOwner: null,
            labelLeaseUntil: null,
            updatedAt: at,
          })
          .where(
            and(
              eq(r.id, claimed.id),
              leaseHeldBy(r.labelLeaseOwner, r.labelLeaseUntil, opts.owner),
              inArray(r.labelState, ['pending', 'failed']),
            ),
          ),
      );
      // The return page now says the carrier is being retried instead of "a few seconds": its
      // stored page goes (later failures change nothing it shows).
      if (moved === 1 && claimed.labelState !== 'failed') await recordPageChange(tx, opts.storeId, claimed.orderId, at);
      // A worker that lost the lease records no failure: the purchase is another worker's now.
      if (moved === 1 && (attempts === 1 || attempts === LABEL_ATTEMPTS_BEFORE_SLOWDOWN))
        await recordReturnEvent(tx, {
          storeId: opts.storeId,
          returnId: claimed.id,
          kind: 'label_failed',
          actor: 'carrier',
          policyVersion: claimed.policyVersion,
          note: message,
          now: at,
        });
    });
    return 'failed';
  }
}

type Client = ReturnType<typeof easypostFor>;

/** A PDF of the label (EasyPost converts on request) and, for USPS, the Label Broker QR code where offered. */
async function withPdfAndQr(client: Client, s: BoughtShipment): Promise<BoughtShipment> {
  let out = s;
  if (!out.postage_label?.label_pdf_url) {
    try {
      out = plain(await client.Shipment.convertLabelFormat(out.id, 'PDF'));
    } catch (err) {
      log.warn({ shipment: out.id, err: String(err) }, 'label PDF conversion failed; the PNG stands');
    }
  }
  const qr = (out.forms ?? []).some((f) => f.form_type === 'label_qr_code');
  if (!qr && out.selected_rate?.carrier === 'USPS') {
    try {
      out = plain(await client.Shipment.generateForm(out.id, 'label_qr_code'));
    } catch (err) {
      log.info({ shipment: out.id, err: String(err) }, 'no QR code for this label');
    }
  }
  return out;
}

function cheapest(rates: NonNullable<BoughtShipment['rates']>) {
  return [...rates].sort((a, b) => Number(a.rate) - Number(b.rate))[0];
}

function plain(v: unknown): BoughtShipment {
  return JSON.parse(JSON.stringify(v)) as BoughtShipment;
}
