// The shopper reads why a registration or claim was refused in their language: each refusal's
// code picks its words, never the server's English.
import type { FieldError } from '../errors.ts';
import type { Translator } from '../i18n/translator.ts';

const CODES = {
  sku: 'order.registration.error.sku',
  notDelivered: 'order.registration.error.notDelivered',
  noWarranty: 'order.registration.error.noWarranty',
  ended: 'order.registration.error.ended',
  serial: 'order.registration.error.serial',
  claimMessage: 'order.registration.error.claimMessage',
  claimRegistration: 'order.registration.error.claimRegistration',
  claimEnded: 'order.registration.error.claimEnded',
} as const;

/** The refusals in the shopper's words (one general line when none is known). */
export function registrationErrorWords(errors: FieldError[], t: Translator['t']): string[] {
  const words = errors.map((e) =>
    t(e.code && Object.hasOwn(CODES, e.code) ? CODES[e.code as keyof typeof CODES] : 'order.registration.error.other'),
  );
  return words.length ? [...new Set(words)] : [t('order.registration.error.other')];
}
