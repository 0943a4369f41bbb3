// A whole number within bounds, with one message a merchant can act on (admin form and API alike).
import { z } from 'zod';

/** z.number() that must be an integer from min to max; every failure says so in the same words. */
export function wholeNumber(min: number, max: number) {
  const error = `a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}
