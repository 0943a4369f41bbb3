// The confirming request as the shopper page receives it: photos checked by their bytes (like
// logos), the return created (or found by its key), and its label bought right away when due
// (buyLabelNow, as the staff's approval does), so the shopper usually lands on a page with the
// label. A purchase that fails here is left to the returns job; a concurrent request for the same
// key finds the lease held and simply waits for it.
import { AppError, type FieldError } from '../errors.ts';
import { randomToken } from '../ids.ts';
import { inspectImage } from '../stores/inspect-image.ts';
import { buyLabelNow } from './buy-label-now.ts';
import { createReturn, type CheckedPhoto, type CreatedReturn } from './create-return.ts';
import { bracketed } from './read-return-request.ts';
import type { ReturnMoved } from './return-move.ts';

const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** Creates the return from a posted form and tries its label once. */
export async function confirmReturn(o: {
  storeId: string;
  orderId: string;
  form: FormData;
  now: () => number;
  moved: ReturnMoved;
}): Promise<CreatedReturn> {
  const fields: Record<string, string> = {};
  const files = new Map<string, File>();
  for (const [k, v] of o.form.entries()) {
    if (typeof v === 'string') fields[k] = v;
    else if (v.size > 0) files.set(k, v);
  }
  const photos = new Map<string, CheckedPhoto>();
  const errors: FieldError[] = [];
  for (const [sku, file] of bracketed(Object.fromEntries(files), 'photo')) {
    if (!(file instanceof File)) continue;
    const pointer = `/photo/${sku}`;
    if (file.size > MAX_PHOTO_BYTES) {
      errors.push({ pointer, detail: 'The photo must be 5 MB or smaller.', code: 'photoTooBig' });
      continue;
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const info = inspectImage(bytes);
    if ('error' in info) errors.push({ pointer, detail: `The photo was not accepted: ${info.error}`, code: 'photoRefused' });
    else photos.set(sku, { bytes, type: info.type });
  }
  if (errors.length) throw new AppError('invalid', 'The return could not be accepted', errors);
  const created = await createReturn({ storeId: o.storeId, orderId: o.orderId, fields, photos, now: o.now(), moved: o.moved });
  // The page shows whatever came of it (the label, "being retried", "a few seconds"): it reads the return.
  if (created.labelDue)
    await buyLabelNow({ storeId: o.storeId, returnId: created.id, owner: `page:${randomToken(6)}`, now: o.now, moved: o.moved });
  return created;
}
