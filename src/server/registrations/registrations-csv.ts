// The back office's CSV export of the store's registrations. A spreadsheet runs a cell that starts
// with = + - @ (and tab or carriage return) as a formula: such cells get a leading quote (OWASP's
// CSV injection advice), since serials and names are typed by shoppers.
import { listRegistrations, type RegistrationRow } from './list-registrations.ts';

const COLUMNS: [string, (r: RegistrationRow) => string][] = [
  ['id', (r) => r.id],
  ['orderNumber', (r) => r.orderNumber],
  ['productId', (r) => r.productId],
  ['sku', (r) => r.sku],
  ['title', (r) => r.title],
  ['serial', (r) => r.serial ?? ''],
  ['customerName', (r) => r.customerName],
  ['email', (r) => r.email],
  ['registeredAt', (r) => new Date(r.registeredAt).toISOString()],
  ['deliveredOn', (r) => r.deliveredOn],
  ['warrantyEndsOn', (r) => r.warrantyEndsOn],
  ['reminders', (r) => (r.reminders ? 'yes' : 'no')],
];

/** One CSV cell: formula-looking text defused, then quoted when it holds a comma, quote or line break. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Every registration of the store as CSV (RFC 4180, CRLF line ends), newest first. */
export async function exportRegistrationsCsv(opts: { storeId: string; product?: string }): Promise<string> {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  let cursor: string | undefined;
  do {
    const page = await listRegistrations({ storeId: opts.storeId, query: { product: opts.product, cursor, limit: '100' } });
    for (const r of page.rows) lines.push(COLUMNS.map(([, get]) => csvCell(get(r))).join(','));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return lines.join('\r\n') + '\r\n';
}
