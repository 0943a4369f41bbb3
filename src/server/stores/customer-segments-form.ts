// The policies page's VIP fields as the `customers` part of a store patch. The spend is typed in
// major units ("250.00") and stored in minor units by the currency's digits (Intl); what cannot be
// turned into a number is passed on as typed, for the schema to refuse, and the page then words
// the amount's error in major units (AMOUNT_ERROR).
import { toMajorUnits, toMinorUnits } from '../../lib/money.ts';
import type { CustomerSegments } from './customer-segments.ts';

/** The amount field's error on the policies page: the schema's own words speak of minor units. */
export const AMOUNT_ERROR = 'an amount above zero such as 250.00, with no more decimals than the currency has (none for JPY)';

/** The fields' names, as the error pointers /customers/… read (policies-form.ts fieldNameFor). */
export const VIP_FIELDS = {
  orders: 'customers.vipOrders',
  amount: 'customers.vipSpend.amount',
  currency: 'customers.vipSpend.currency',
} as const;

/** `{vipOrders, vipSpend}` for the posted fields: an empty box turns its rule off (null). */
export function readCustomerSegmentsForm(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const orders = text(VIP_FIELDS.orders);
  const amount = text(VIP_FIELDS.amount);
  const currency = text(VIP_FIELDS.currency).toUpperCase();
  // Without a known shape of code there are no digits to convert by: two, so only the code is refused.
  const minor = amount === '' ? null : toMinorUnits(amount, /^[A-Z]{3}$/.test(currency) ? currency : 'EUR');
  return {
    vipOrders: orders === '' ? null : /^-?\d{1,9}$/.test(orders) ? Number(orders) : orders,
    vipSpend: amount === '' ? null : { amount: minor ?? amount, currency },
  };
}

/** What the fields show: what was posted, as typed (to be corrected), else the saved rule with the spend back in major units. */
export function customerSegmentsFormValues(saved: CustomerSegments, posted: FormData | null) {
  if (posted) {
    const text = (name: string) => String(posted.get(name) ?? '').trim();
    return { orders: text(VIP_FIELDS.orders), amount: text(VIP_FIELDS.amount), currency: text(VIP_FIELDS.currency).toUpperCase() };
  }
  const spend = saved.vipSpend;
  return {
    orders: saved.vipOrders === null ? '' : String(saved.vipOrders),
    amount: spend ? toMajorUnits(spend.amount, spend.currency) : '',
    currency: spend?.currency ?? '',
  };
}
