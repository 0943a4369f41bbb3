// Serialisation in EasyPost's wire format.

/**
 * JSON text as EasyPost sends it. EasyPost writes weights as floats (`"weight":136.0`); JSON.stringify
 * drops the `.0`. @easypost/api's validateWebhook rewrites integer weights to `N.0` before hashing, so a
 * body signed with a bare `136` would be refused. Applying the same rewrite here keeps the bytes we sign,
 * the bytes we send and the bytes the validator hashes identical.
 */
export function toEasyPostJson(value: unknown): string {
  return JSON.stringify(value).replace(/("weight":\s*)(\d+)(\s*)(?=,|\})/g, '$1$2.0');
}
