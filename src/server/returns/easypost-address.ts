// Our address objects (postalCode) as EasyPost's (zip).
export function toEasyPostAddress(a: Record<string, string | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  const map: Record<string, string> = { postalCode: 'zip' };
  for (const f of ['name', 'company', 'street1', 'street2', 'city', 'state', 'postalCode', 'country', 'phone', 'email']) {
    const v = a[f];
    if (typeof v === 'string' && v.trim()) out[map[f] ?? f] = v.trim();
  }
  return out;
}
