// Money is an integer in the currency's minor unit; Intl knows how many digits each currency has.

/** How many digits the currency's minor unit has: 2 for EUR, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "$249.00" for (24900, 'USD', 'en-US'). */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const fmt = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  return fmt.format(minor / 10 ** digits);
}

/**
 * An amount typed in major units ("250", "250.00") in minor units (25000 for EUR, 250 for JPY);
 * null when it is not a plain amount or has more decimals than the currency. Digits, not floats:
 * "0.29" is 29, never 28.999….
 */
export function toMinorUnits(typed: string, currency: string): number | null {
  const m = /^(\d{1,13})(?:\.(\d*))?$/.exec(typed.trim());
  if (!m) return null;
  const digits = minorDigits(currency);
  const fraction = m[2] ?? '';
  if (fraction.length > digits) return null;
  return Number(m[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** Minor units as a plain major-unit amount for a form field: "250.00" for (25000, 'EUR'), "250" for (250, 'JPY'). */
export function toMajorUnits(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** True if Intl knows the ISO 4217 code. */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}
