// A store's DKIM key: the signing domain, selector and private key (RSA or Ed25519) its emails are signed with.
// The key is write-only and sealed at rest like the EasyPost key (security/keys.ts); staff and the
// API only ever see "set, selector s1, domain example.com". Set in the back office's Keys page and
// with PUT/DELETE /api/v1/store/dkim.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { config } from '../config.ts';
import { db, firstRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { decryptSecret, encryptSecret } from '../security/keys.ts';
import { parseOrThrow } from '../validate.ts';
import type { NotificationSettings } from './notification-settings.ts';
import { readSettings } from './settings.ts';

/** What anyone may see of the key: whether it is set, and for which domain and selector. */
export interface DkimStatus {
  domain: string;
  selector: string;
}

/** What the email job signs with (nodemailer's `dkim` option). */
export interface DkimSigning {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN = new RegExp(`^(?:${label}\\.)+${label}$`);
const SELECTOR = new RegExp(`^${label}(?:\\.${label})*$`);

const DkimInputSchema = z.object({
  domain: z.string().trim().toLowerCase().max(253).regex(DOMAIN, 'a domain name such as example.com'),
  selector: z.string().trim().toLowerCase().max(63).regex(SELECTOR, 'a DKIM selector such as s1 (letters, digits and hyphens)'),
  privateKey: z.string().trim().min(1, 'paste the private key (PEM)').max(10_000),
});

/** The store's DKIM domain and selector, or null when its emails go unsigned. */
export async function dkimStatus(storeId: string): Promise<DkimStatus | null> {
  const r = await firstRow(
    db()
      .select({ domain: schema.stores.dkimDomain, selector: schema.stores.dkimSelector, key: schema.stores.dkimKeyEnc })
      .from(schema.stores)
      .where(eq(schema.stores.id, storeId)),
  );
  return r?.key && r.domain && r.selector ? { domain: r.domain, selector: r.selector } : null;
}

/** The signing options of a stores row, or undefined when it has no key. */
export function dkimSigningFor(row: Pick<typeof schema.stores.$inferSelect, 'dkimDomain' | 'dkimSelector' | 'dkimKeyEnc'>) {
  if (!row.dkimKeyEnc || !row.dkimDomain || !row.dkimSelector) return undefined;
  return { domainName: row.dkimDomain, keySelector: row.dkimSelector, privateKey: decryptSecret(row.dkimKeyEnc) } satisfies DkimSigning;
}

/** The address the store's emails come from (its own sender address, else the server's). */
export function fromAddress(n: Pick<NotificationSettings, 'senderAddress'>): string {
  return n.senderAddress ?? config().mailFrom;
}

/** True when DMARC sees the DKIM domain as aligned with the From address: the same domain or a parent of it. */
export function dkimAligned(dkimDomain: string, from: string): boolean {
  const fromDomain = from.slice(from.lastIndexOf('@') + 1).toLowerCase();
  return fromDomain === dkimDomain || fromDomain.endsWith(`.${dkimDomain}`);
}

/** Sets the store's DKIM key after checking it is a usable RSA key and its domain is aligned with the From address. */
export async function setDkimKey(storeId: string, input: unknown, actor: Actor, now: number): Promise<DkimStatus> {
  const message = 'The DKIM key was not saved';
  const v = parseOrThrow(DkimInputSchema, input, message);
  const key = readPrivateKey(v.privateKey, message);
  const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  await transaction(async (tx) => {
    const row = await firstRow(tx.select({ settings: schema.stores.settings }).from(schema.stores).where(eq(schema.stores.id, storeId)));
    if (!row) throw new AppError('not_found', 'No such store');
    const from = fromAddress(readSettings(row.settings).notifications);
    if (!dkimAligned(v.domain, from))
      throw new AppError('invalid', message, [
        {
          pointer: '/domain',
          detail: `the emails come from ${from}: the DKIM domain must be ${from.split('@')[1]} or a parent of it, or DMARC fails`,
        },
      ]);
    await tx
      .update(schema.stores)
      .set({ dkimDomain: v.domain, dkimSelector: v.selector, dkimKeyEnc: encryptSecret(pem), updatedAt: now })
      .where(eq(schema.stores.id, storeId));
    await recordAudit(tx, { storeId, actor, action: 'dkim_key.set', detail: { domain: v.domain, selector: v.selector }, now });
  });
  return { domain: v.domain, selector: v.selector };
}

/** Removes the store's DKIM key: its emails go unsigned from now on. */
export async function removeDkimKey(storeId: string, actor: Actor, now: number): Promise<void> {
  await transaction(async (tx) => {
    await tx
      .update(schema.stores)
      .set({ dkimDomain: null, dkimSelector: null, dkimKeyEnc: null, updatedAt: now })
      .where(eq(schema.stores.id, storeId));
    await recordAudit(tx, { storeId, actor, action: 'dkim_key.removed', now });
  });
}

/** The pasted PEM as a private key: RSA of 2048 bits or more (rsa-sha256), or Ed25519 (ed25519-sha256, RFC 8463). */
function readPrivateKey(pem: string, message: string): KeyObject {
  const refuse = (detail: string) => new AppError('invalid', message, [{ pointer: '/privateKey', detail }]);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw refuse('not a private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----, unencrypted)');
  }
  if (key.asymmetricKeyType === 'ed25519') return key;
  if (key.asymmetricKeyType !== 'rsa') throw refuse('an RSA (2048 bits or more) or Ed25519 private key is needed');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw refuse(`this RSA key has ${bits} bits; receivers distrust keys under 2048 bits`);
  return key;
}
