// Messages in analytics: what the message ledger recorded in a period (the store's zone, by the
// time each message was queued), by channel and kind: sent, failed, suppressed, and the clicks
// through our own links (message_links: one per message and link, however often followed; a
// message whose links the prune job deleted keeps how many were followed in messages.pruned_clicks);
// unsubscribed counts addresses that stopped marketing email in the period (an unsubscribe names
// an address, not a message, so it has no kind). Events out are messages too: deliveries to the
// store's endpoints count by channel (webhook, klaviyo) and event type, sent when one succeeded,
// failed when its retries ran out; a test event is not counted.
import { and, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';
import { percent } from './formulas.ts';
import { periodBounds } from './period-bounds.ts';

type Period = { from: string; to: string };

/** The counts of one channel and kind (or of all). */
interface MessageCounts {
  sent: number;
  failed: number;
  suppressed: number;
  /** Message and link pairs followed at least once. */
  clicks: number;
  /** Sent messages with at least one link followed. */
  clickedMessages: number;
  /** 100 × clicked messages ÷ sent, one decimal. */
  clickPercent: number | null;
}

/** One channel and kind, with the previous period's counts. */
export interface MessageRow extends MessageCounts {
  channel: string;
  kind: string;
  previous: MessageCounts;
}

const HOUR = 3_600_000;
const COUNTED = ['sent', 'failed', 'suppressed'];

/**
 * Messages queued in [start, end) by channel, kind and status (sent, failed, suppressed): the whole
 * UTC hours from the hourly counts the database keeps (message_hourly), the part-hours at either
 * end (a zone off the hour) from the ledger itself, so the sum is exact at any scale.
 */
async function statusCounts(
  storeId: string,
  start: number,
  end: number,
): Promise<{ channel: string; kind: string; status: string; n: number }[]> {
  const m = schema.messages;
  const h = schema.messageHourly;
  const fromHour = Math.ceil(start / HOUR);
  const toHour = Math.floor(end / HOUR);
  const ledger = (a: number, b: number) =>
    db()
      .select({ channel: m.channel, kind: m.kind, status: m.status, n: sql<number>`count(*)`.mapWith(Number) })
      .from(m)
      .where(and(eq(m.storeId, storeId), gte(m.createdAt, a), lt(m.createdAt, b), inArray(m.status, COUNTED)))
      .groupBy(m.channel, m.kind, m.status);
  if (fromHour >= toHour) return ledger(start, end);
  const parts = await Promise.all([
    db()
      .select({ channel: h.channel, kind: h.kind, status: h.status, n: sql<number>`sum(${h.n})`.mapWith(Number) })
      .from(h)
      .where(and(eq(h.storeId, storeId), gte(h.hour, fromHour), lt(h.hour, toHour), inArray(h.status, COUNTED)))
      .groupBy(h.channel, h.kind, h.status),
    start < fromHour * HOUR ? ledger(start, fromHour * HOUR) : [],
    toHour * HOUR < end ? ledger(toHour * HOUR, end) : [],
  ]);
  const sums = new Map<string, { channel: string; kind: string; status: string; n: number }>();
  for (const r of parts.flat()) {
    const key = `${r.channel}\u0000${r.kind}\u0000${r.status}`;
    const was = sums.get(key);
    if (was) was.n += r.n;
    else sums.set(key, { ...r });
  }
  return [...sums.values()].filter((r) => r.n > 0);
}

/** The message figures of a period. */
export interface MessageFigures {
  rows: Omit<MessageRow, 'previous'>[];
  totals: MessageCounts & { unsubscribed: number };
}

const EMPTY = (): Omit<MessageCounts, 'clickPercent'> => ({ sent: 0, failed: 0, suppressed: 0, clicks: 0, clickedMessages: 0 });

/** Reads the period's messages by channel and kind, the clicks on them, and the unsubscribes. */
export async function readMessageFigures(storeId: string, q: Period, timeZone: string): Promise<MessageFigures> {
  const { start, end } = periodBounds(q.from, q.to, timeZone);
  const m = schema.messages;
  const l = schema.messageLinks;
  const s = schema.emailSuppressions;
  const inPeriod = and(eq(m.storeId, storeId), gte(m.createdAt, start), lt(m.createdAt, end));
  const d = schema.webhookDeliveries;
  const e = schema.webhookEndpoints;
  const [statuses, clicks, prunedClicks, unsubscribed, deliveries] = await Promise.all([
    statusCounts(storeId, start, end),
    db()
      .select({
        channel: m.channel,
        kind: m.kind,
        clicks: sql<number>`count(*)`.mapWith(Number),
        clickedMessages: sql<number>`count(distinct ${m.id})`.mapWith(Number),
      })
      .from(l)
      .innerJoin(m, eq(m.id, l.messageId))
      // From the store's clicked links, first clicked since the period began (a link is followed
      // after its message was queued), so the ledger is read only for messages with a click.
      .where(and(inPeriod, eq(l.storeId, storeId), isNotNull(l.firstClickedAt), gte(l.firstClickedAt, start)))
      .groupBy(m.channel, m.kind),
    // Links pruned (prune-message-links.ts) count as they did: the partial index holds only messages with some.
    db()
      .select({
        channel: m.channel,
        kind: m.kind,
        clicks: sql<number>`sum(${m.prunedClicks})`.mapWith(Number),
        clickedMessages: sql<number>`count(*)`.mapWith(Number),
      })
      .from(m)
      .where(and(inPeriod, sql`${m.prunedClicks} > 0`))
      .groupBy(m.channel, m.kind),
    firstRow(
      db()
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(s)
        .where(and(eq(s.storeId, storeId), eq(s.reason, 'unsubscribe'), gte(s.createdAt, start), lt(s.createdAt, end))),
    ),
    db()
      .select({ channel: e.kind, kind: d.type, status: d.status, n: sql<number>`count(*)`.mapWith(Number) })
      .from(d)
      .innerJoin(e, eq(e.id, d.endpointId))
      .where(
        and(
          eq(d.storeId, storeId),
          gte(d.createdAt, start),
          lt(d.createdAt, end),
          sql`${d.status} in ('succeeded', 'failed')`,
          sql`${d.type} <> 'webhook.test'`,
        ),
      )
      .groupBy(e.kind, d.type, d.status),
  ]);
  const byKey = new Map<string, { channel: string; kind: string } & ReturnType<typeof EMPTY>>();
  const row = (channel: string, kind: string) => {
    const key = `${channel}\u0000${kind}`;
    let r = byKey.get(key);
    if (!r) byKey.set(key, (r = { channel, kind, ...EMPTY() }));
    return r;
  };
  for (const x of statuses) row(x.channel, x.kind)[x.status as 'sent' | 'failed' | 'suppressed'] += x.n;
  for (const x of deliveries) row(x.channel, x.kind)[x.status === 'succeeded' ? 'sent' : 'failed'] += x.n;
  for (const x of [...clicks, ...prunedClicks]) {
    const r = row(x.channel, x.kind);
    r.clicks += x.clicks;
    r.clickedMessages += x.clickedMessages;
  }
  const rows = [...byKey.values()]
    .map((r) => ({ ...r, clickPercent: percent(r.clickedMessages, r.sent) }))
    .sort((a, b) => a.channel.localeCompare(b.channel) || b.sent - a.sent || a.kind.localeCompare(b.kind));
  const sum = EMPTY();
  for (const r of rows) for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += r[k];
  return {
    rows,
    totals: { ...sum, clickPercent: percent(sum.clickedMessages, sum.sent), unsubscribed: unsubscribed?.n ?? 0 },
  };
}

/** The period's rows with the previous period's counts beside each (zero where it had none). */
export function withPrevious(now: MessageFigures, before: MessageFigures): MessageRow[] {
  const zero: MessageCounts = { ...EMPTY(), clickPercent: null };
  return now.rows.map((r) => {
    const p = before.rows.find((x) => x.channel === r.channel && x.kind === r.kind);
    return { ...r, previous: p ? strip(p) : zero };
  });
}

function strip(r: Omit<MessageRow, 'previous'>): MessageCounts {
  const { sent, failed, suppressed, clicks, clickedMessages, clickPercent } = r;
  return { sent, failed, suppressed, clicks, clickedMessages, clickPercent };
}
