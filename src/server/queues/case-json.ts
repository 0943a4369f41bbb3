// A case as the merchant API returns it (GET /api/v1/cases): plain codes, ISO times, absolute links.
import type { CaseRow } from './list-cases.ts';

/** The API's JSON for one case. */
export function toCaseJson(c: CaseRow) {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: c.id,
    kind: c.kind,
    source: c.source,
    status: c.status,
    message: c.message,
    orderNumber: c.order.number,
    customerName: c.order.customerName,
    carrier: c.shipment?.carrier ?? null,
    trackingCode: c.shipment?.trackingCode ?? null,
    /** A warranty claim's registered product: what, which serial, delivered when, covered until when. */
    ...(c.registration ? { registration: c.registration } : {}),
    assigneeEmail: c.assignee?.email ?? null,
    /** The order's page for the shopper, as GET /api/v1/orders/{number} gives it. */
    trackingUrl: c.order.url,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    resolvedAt: iso(c.resolvedAt),
  };
}
