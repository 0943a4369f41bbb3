// Emails carry their links behind Waypost's redirect (/{slug}/go/{messageId}/{linkId}, see
// src/server/messages/message-links.ts). Tests that check where a link leads read the email with
// each redirect replaced by the target recorded for it (from the database, so nothing counts as a
// click and no server needs to answer at the public URL).
import { inArray } from 'drizzle-orm';
import { db, schema } from '../../src/server/db.ts';

const GO = /https?:\/\/[^\s"'<>()]+?\/go\/([A-Za-z0-9-]{1,64})\/([A-Za-z0-9_-]{11})/g;

/** The body with every redirect link replaced by its target (HTML-escaped when `html`); a link with no recorded target is left as it is. */
export async function withLinkTargets(body: string, opts: { html?: boolean } = {}): Promise<string> {
  const ids = [...new Set([...body.matchAll(GO)].map((m) => m[1]!))];
  if (ids.length === 0) return body;
  const rows = await db().select().from(schema.messageLinks).where(inArray(schema.messageLinks.messageId, ids));
  const target = new Map(rows.map((r) => [`${r.messageId}/${r.linkId}`, r.url]));
  return body.replace(GO, (whole, messageId: string, linkId: string) => {
    const url = target.get(`${messageId}/${linkId}`);
    if (url === undefined) return whole;
    return opts.html ? url.replace(/&/g, '&amp;').replace(/"/g, '&quot;') : url;
  });
}
