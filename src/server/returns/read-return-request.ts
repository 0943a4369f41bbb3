// The confirming form (DESIGN.md): qty[SKU], reason[SKU], note[SKU], exchange[SKU], resolution and
// key, checked against the order's decision. Every refusal names its field (a JSON pointer such as
// /qty/TENT-2P) so the page can show it next to the field; nothing is written here.
import type { FieldError } from '../errors.ts';
import { AppError } from '../errors.ts';
import type { VariantChoice } from '../products/exchange-variants.ts';
import type { OrderDecision } from './decide-for-order.ts';
import { offeredResolutions, type Resolution } from './quote.ts';

interface ReturnLine {
  sku: string;
  productId: string;
  title: string;
  quantity: number;
  unitAmount: number;
  reason: string;
  note: string | null;
  exchangeSku: string | null;
  /** An uploaded photo (checked later by its bytes), when the reason asks for one. */
  photo: Uint8Array | null;
}

export interface ReturnRequest {
  key: string;
  resolution: Resolution;
  lines: ReturnLine[];
}

export type FormFields = Record<string, FormDataEntryValue | string | undefined>;

const KEY = /^[A-Za-z0-9_-]{16,100}$/;

/** The values of fields named name[SKU], by SKU. */
export function bracketed(fields: FormFields, name: string): Map<string, FormDataEntryValue | string> {
  const out = new Map<string, FormDataEntryValue | string>();
  const prefix = `${name}[`;
  for (const [k, v] of Object.entries(fields))
    if (k.startsWith(prefix) && k.endsWith(']') && v !== undefined) out.set(k.slice(prefix.length, -1), v);
  return out;
}

/** The request the form stands for, or an 'invalid' AppError naming each bad field. */
export function readReturnRequest(
  fields: FormFields,
  d: OrderDecision,
  variants: Record<string, VariantChoice[]>,
  opts: { requireKey: boolean; photos?: Map<string, Uint8Array> },
): ReturnRequest {
  const errors: FieldError[] = [];
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const key = text(fields.key);
  if (opts.requireKey && !KEY.test(key))
    errors.push({ pointer: '/key', detail: 'The form is out of date. Please start again.', code: 'key' });
  const offered = offeredResolutions(d.policy);
  const resolution = text(fields.resolution) as Resolution;
  if (!offered.includes(resolution))
    errors.push({ pointer: '/resolution', detail: 'Choose what you would like back.', code: 'resolution' });

  const quantities = bracketed(fields, 'qty');
  const reasons = bracketed(fields, 'reason');
  const notes = bracketed(fields, 'note');
  const exchanges = bracketed(fields, 'exchange');
  const bySku = new Map(d.items.map((i) => [i.sku, i]));
  const eligible = new Map(d.eligibility.items.map((e) => [e.sku, e]));
  const lines: ReturnLine[] = [];
  for (const [sku, raw] of quantities) {
    const value = text(raw);
    if (value === '' || value === '0') continue;
    const item = bySku.get(sku);
    const e = eligible.get(sku);
    if (!item || !e) {
      errors.push({ pointer: `/qty/${sku}`, detail: 'This item is not part of the order.', code: 'notInOrder' });
      continue;
    }
    const quantity = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(quantity) || quantity < 0) {
      errors.push({ pointer: `/qty/${sku}`, detail: 'Enter how many to return.', code: 'quantity' });
      continue;
    }
    if (e.returnableQuantity === 0) {
      errors.push({ pointer: `/qty/${sku}`, detail: e.words, code: 'notReturnable' });
      continue;
    }
    if (quantity > e.returnableQuantity) {
      errors.push({
        pointer: `/qty/${sku}`,
        detail: `You can return at most ${e.returnableQuantity} of this item.`,
        code: 'tooMany',
        values: { max: e.returnableQuantity },
      });
      continue;
    }
    const reasonCode = text(reasons.get(sku));
    const reason = d.policy.reasons.find((r) => r.code === reasonCode);
    if (!reason) errors.push({ pointer: `/reason/${sku}`, detail: 'Choose a reason.', code: 'reason' });
    const note = text(notes.get(sku)).slice(0, 1000) || null;
    if (reason?.requiresNote && !note)
      errors.push({ pointer: `/note/${sku}`, detail: 'Please tell us a little more about what happened.', code: 'note' });
    const photo = opts.photos?.get(sku) ?? null;
    if (reason?.requiresPhoto && opts.photos && !photo)
      errors.push({ pointer: `/photo/${sku}`, detail: 'Please add a photo of the item.', code: 'photo' });
    let exchangeSku: string | null = null;
    if (resolution === 'exchange') {
      exchangeSku = text(exchanges.get(sku)) || null;
      const choices = variants[item.productId] ?? [];
      if (!exchangeSku || !choices.some((c) => c.sku === exchangeSku))
        errors.push({
          pointer: `/exchange/${sku}`,
          detail: choices.length
            ? 'Choose the variant you would like instead.'
            : 'This item cannot be exchanged; choose a refund or store credit.',
          code: choices.length ? 'exchange' : 'noExchange',
        });
    }
    lines.push({
      sku,
      productId: item.productId,
      title: item.title,
      quantity,
      unitAmount: item.unitAmount,
      reason: reasonCode,
      note,
      exchangeSku,
      photo,
    });
  }
  if (lines.length === 0 && !errors.some((e) => e.pointer.startsWith('/qty/')))
    errors.push({ pointer: '/qty', detail: 'Choose at least one item to return.', code: 'atLeastOne' });
  if (errors.length) throw new AppError('invalid', 'The return could not be accepted', errors);
  return { key, resolution, lines };
}
