// The order page's read model: everything the shopper's order page shows, read in one place, so
// the page (and the HTML the front server keeps for it) depends on exactly these inputs and its
// components only render.
import { addDays, dayInZone, formatDay, formatLongDay, startOfDayInZone } from '../../lib/dates.ts';
import type { Translator } from '../i18n/translator.ts';
import { describeNotice, type NoticeWords } from '../notices/describe-notice.ts';
import { getCheckinCards } from '../checkins/get-checkin-cards.ts';
import { suggestFollowUp, type SuggestedProduct } from '../lifecycle/suggest-follow-up.ts';
import { pushConfig } from '../notifications/push-config.ts';
import { getReturnOptions } from '../returns/get-return-options.ts';
import { listOrderReturns } from '../returns/load-return.ts';
import { paragraphsOf } from '../../lib/paragraphs.ts';
import { careGuidesOf, listDeliveredProducts } from '../orders/list-delivered-products.ts';
import { listReviewableProducts } from '../reviews/list-reviewable-products.ts';
import type { Store } from '../stores/store.ts';
import { describeEstimate } from '../tracking/describe-estimate.ts';
import { describeParcel, type ParcelPage } from './describe-parcel.ts';
import type { ItemView, OrderView } from '../orders/load-order.ts';

export interface OrderPage {
  order: OrderView;
  /** "placed Tuesday, November 17", the date in words. */
  placedOn: string;
  /** The one line on top: "Your order has been delivered", "2 of 3 parcels delivered"… */
  headline: string;
  /** Items not shipped yet, or null when everything is in a parcel. */
  pending: { expectedBy: string | null; notices: NoticeWords[]; items: (ItemView & { count: number })[] } | null;
  parcels: ParcelPage[];
  returns: {
    list: { token: string; items: string; status: string }[];
    /** Something can come back now: "Start a return". */
    canStart: boolean;
    /** Parcels arrived but nothing can come back: a link says why, item by item. */
    explain: boolean;
  };
  /** Products the shopper may review now, and whether each is reviewed already. */
  reviewables: { title: string; reviewed: boolean }[];
  /** "Did everything arrive as it should?": one card per delivered parcel whose check-in is due and unanswered. */
  checkins: { trackingCode: string; parcelLabel: string | null; deliveredOn: string }[];
  /** From delivery on: each delivered product's care guide, as plain-text paragraphs. */
  careGuides: { productTitle: string; title: string; paragraphs: string[]; url: string | null }[];
  /** Delivered products with a warranty: register, see the warranty's end, start a claim. */
  warranties: WarrantyView[];
  /** From delivery on: products related to what was bought, not owned yet, available (at most four). */
  related: SuggestedProduct[];
  /** The VAPID public key the push opt-in subscribes with. */
  pushKey: string;
  /** The order's local day the wording is for, and the instant it ends (the stored page is stale from then on). */
  localDay: string;
  staleAt: number;
}

interface WarrantyView {
  sku: string;
  title: string;
  months: number;
  /** The warranty's last day in words, with its year, in the shopper's language. */
  endsOn: string;
  ended: boolean;
  registration: { id: string; serial: string | null; reminders: boolean; claimOpen: boolean } | null;
}

/** Everything the order page shows for this store's order, at `now`. */
export async function getOrderPage(opts: { store: Store; order: OrderView; words: Translator; now: number }): Promise<OrderPage> {
  const { store, order, words, now } = opts;
  const locale = words.locale;
  const anyDelivered = order.shipments.some((s) => s.status === 'delivered' || s.deliveredAt !== null);
  // Return options only once something has arrived and the store takes returns at all.
  const [returns, options, reviewables, checkins, delivered, related] = await Promise.all([
    listOrderReturns(store.id, order.id),
    store.settings.returnAddress !== null && anyDelivered ? getReturnOptions({ storeId: store.id, orderId: order.id, now }) : null,
    listReviewableProducts({ storeId: store.id, orderId: order.id }),
    getCheckinCards({ order, policy: store.settings.afterDelivery, notifications: store.settings.notifications, now }),
    listDeliveredProducts(order),
    anyDelivered ? suggestFollowUp({ storeId: store.id, orderId: order.id }) : [],
  ]);
  const localDay = dayInZone(now, order.timeZone);
  const warranties = delivered.flatMap((p): WarrantyView[] => {
    const endsOn = p.registration?.warrantyEndsOn ?? p.warrantyEndsOn;
    if (!p.warrantyMonths || !endsOn) return [];
    const r = p.registration;
    return [
      {
        sku: p.sku,
        title: p.title,
        months: p.warrantyMonths,
        endsOn: formatLongDay(endsOn, locale),
        ended: endsOn < localDay,
        registration: r ? { id: r.id, serial: r.serial, reminders: r.reminders, claimOpen: r.claimOpen } : null,
      },
    ];
  });
  const canStart = options !== null && options.decision.eligibility.anyReturnable && !options.decision.capReached;
  const parcels = order.shipments.map((s, i) =>
    describeParcel(s, { index: i + 1, total: order.shipments.length, words, timeZone: order.timeZone, storeName: store.name, now }),
  );
  return {
    order,
    placedOn: formatDay(dayInZone(order.placedAt, order.timeZone), locale),
    headline: headlineFor(order, words),
    pending: order.unshipped.length
      ? {
          expectedBy: describeEstimate(order.unshippedEstimate, words).date,
          notices: order.notices.map((n) =>
            describeNotice(n, { words, timeZone: order.timeZone, storeName: store.name, expectedDay: null, lastEventAt: null, now }),
          ),
          items: order.unshipped.map((i) => ({ ...i, count: i.pendingQuantity })),
        }
      : null,
    parcels,
    returns: {
      list: returns.map((r) => ({
        token: r.token,
        items: new Intl.ListFormat(locale, { type: 'unit' }).format(r.items.map((i) => `${i.quantity} × ${i.title}`)),
        status: words.t(`returns.status.${r.status}`),
      })),
      canStart,
      explain: options !== null && !canStart,
    },
    reviewables: reviewables.map((p) => ({ title: p.title, reviewed: p.review !== null })),
    checkins: checkins.cards.map((c) => ({
      trackingCode: c.trackingCode,
      parcelLabel: c.parcel ? words.t('order.parcel.nOfTotal', c.parcel) : null,
      deliveredOn: formatDay(dayInZone(c.deliveredAt, order.timeZone), locale),
    })),
    careGuides: careGuidesOf(delivered).map((g) => ({
      productTitle: g.productTitle,
      title: g.title,
      paragraphs: paragraphsOf(g.body),
      url: g.url,
    })),
    warranties,
    related,
    pushKey: pushConfig().vapid.publicKey,
    localDay,
    // A kept page goes stale at local midnight, or sooner when a check-in falls due (its card appears then).
    staleAt: Math.min(startOfDayInZone(addDays(localDay, 1), order.timeZone), checkins.nextDueAt ?? Infinity),
  };
}

/** The one line on top, in the shopper's language (also the branding preview's). */
export function headlineFor(order: Pick<OrderView, 'shipments' | 'unshipped'>, { t }: Translator): string {
  const parcels = order.shipments;
  const delivered = parcels.filter((p) => p.status === 'delivered').length;
  if (parcels.length === 0) return t('order.summary.preparing');
  if (delivered === parcels.length && order.unshipped.length === 0) {
    return parcels.length === 1 ? t('order.summary.delivered') : t('order.summary.allDelivered');
  }
  if (parcels.length === 1) return t(`order.headline.${parcels[0]!.milestone.state}`);
  return delivered === 0
    ? t('order.summary.onTheirWay', { count: parcels.length })
    : t('order.summary.someDelivered', { delivered, total: parcels.length });
}
