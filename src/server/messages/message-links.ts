// Clicks through our own links: every link of an email we send goes through GET
// /{slug}/go/{messageId}/{linkId}, which counts the click and answers 302 to the target. The
// targets are recorded per message when it is marked sending, and the redirect only ever goes to
// one of them: an unknown message, an edited link id or another store's message is the 404 page
// (no open redirect). Nothing about the reader is kept (no cookie, no address, no open pixel): a
// click counts once per message and link, and `clicks` says how often it was followed.
import { createHash } from 'node:crypto';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { db, firstRow, schema, transaction, type Tx } from '../db.ts';
import type { EmailContent } from './render-email.ts';

/** A link of one message, as recorded. */
export interface MessageLink {
  linkId: string;
  name: string;
  url: string;
}

const ID = /^[A-Za-z0-9_-]{11}$/;
const MESSAGE_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The link's id within its message: a digest of its target, so the same target twice is one link. */
function linkIdOf(url: string): string {
  return createHash('sha256').update(url).digest('base64url').slice(0, 11);
}

/** What a link of ours is, from its target (the figures group clicks by it). */
function linkNameOf(url: string, publicUrl: string, slug: string): string {
  const base = `${publicUrl}/${slug}`;
  if (!url.startsWith(`${base}/`)) return 'external';
  const rest = url.slice(base.length);
  if (rest === '/returns') return 'returns-policy';
  if (rest.startsWith('/r/')) return 'return';
  if (!rest.startsWith('/t/')) return 'store';
  const tail = rest.replace(/^\/t\/[^/?#]+/, '');
  if (tail.startsWith('/returns')) return 'return';
  if (tail.startsWith('/review')) return 'review';
  if (tail.startsWith('/preferences')) return 'preferences';
  if (tail.startsWith('?checkin=')) return 'check-in';
  if (tail.startsWith('#registration')) return 'warranty';
  return 'order-page';
}

/**
 * The email with every link sent through the redirect, and the links to record. The one-click
 * unsubscribe link stays as it is (the List-Unsubscribe header carries it, and leaving must never
 * depend on a redirect).
 */
export function trackLinks(
  c: EmailContent,
  o: { publicUrl: string; slug: string; messageId: string; unsubscribeUrl: string | null },
): { content: EmailContent; links: MessageLink[] } {
  const links = new Map<string, MessageLink>();
  const wrap = (url: string, name?: string): string => {
    if (url === o.unsubscribeUrl || !/^https?:\/\//.test(url)) return url;
    const linkId = linkIdOf(url);
    if (!links.has(linkId)) links.set(linkId, { linkId, url, name: name ?? linkNameOf(url, o.publicUrl, o.slug) });
    return `${o.publicUrl}/${o.slug}/go/${o.messageId}/${linkId}`;
  };
  const link = <L extends { url: string } | null>(l: L, name?: string): L => (l ? { ...l, url: wrap(l.url, name) } : l);
  const content: EmailContent = {
    ...c,
    parcels: c.parcels.map((p) => ({ ...p, rows: p.rows.map(([k, v, url]) => [k, v, url ? wrap(url, 'tracking') : url]) })),
    sections: c.sections.map((s) => ({
      ...s,
      link: link(s.link, s.link && linkNameOf(s.link.url, o.publicUrl, o.slug) === 'external' ? 'care-guide' : undefined),
    })),
    products: c.products.map((p) => ({ ...p, url: p.url ? wrap(p.url, 'product') : p.url })),
    button: link(c.button),
    links: c.links.map((l) => link(l)),
    footerLinks: c.footerLinks.map((l) => link(l)),
  };
  return { content, links: [...links.values()] };
}

/** Records a message's links (in the transaction that marks it sending); a link recorded before stays as it was. */
export async function recordMessageLinks(
  tx: Tx,
  m: { storeId: string; messageId: string; links: MessageLink[]; now: number },
): Promise<void> {
  if (m.links.length === 0) return;
  await tx
    .insert(schema.messageLinks)
    .values(m.links.map((l) => ({ ...l, messageId: m.messageId, storeId: m.storeId, createdAt: m.now })))
    .onConflictDoNothing();
}

/**
 * Follows a link: counts the click and gives its target; 'pruned' for a link of an email of this
 * store whose links the prune job deleted (the page sends the shopper to the order look-up); null
 * when the store never sent this link in this message.
 */
export async function followMessageLink(o: {
  storeId: string;
  messageId: string;
  linkId: string;
  now: number;
  count: boolean;
}): Promise<string | 'pruned' | null> {
  if (!MESSAGE_ID.test(o.messageId) || !ID.test(o.linkId)) return null;
  const l = schema.messageLinks;
  const where = and(eq(l.messageId, o.messageId), eq(l.linkId, o.linkId), eq(l.storeId, o.storeId));
  const row = await firstRow(db().select({ url: l.url }).from(l).where(where));
  if (!row) {
    const m = schema.messages;
    const pruned = await firstRow(
      db()
        .select({ id: m.id })
        .from(m)
        .where(and(eq(m.id, o.messageId), eq(m.storeId, o.storeId), isNotNull(m.prunedClicks))),
    );
    return pruned ? 'pruned' : null;
  }
  if (o.count)
    await transaction(async (tx) => {
      await tx
        .update(l)
        .set({ clicks: sql`${l.clicks} + 1`, firstClickedAt: sql`coalesce(${l.firstClickedAt}, ${o.now})`, lastClickedAt: o.now })
        .where(where);
    });
  return row.url;
}
