// Messages in analytics: what the message ledger recorded in a period (the store's zone, by the
// time each message was queued), by channel and kind: sent, failed, suppressed, and the clicks
// through our own links (message_links: one per message and link, however often followed);
// unsubscribed counts addresses that stopped marketing email in the period (an unsubscribe names
// an address, not a message, so it has no kind). Events out are messages too: deliveries to the
// store's endpoints count by channel (webhook, klaviyo) and event type, sent when one succeeded,
// failed when its retries ran out; a test event is not counted.
import { and, eq, gte, isNotNull, lt, sql } from 'drizzle-orm';
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
  const [statuses, clicks, unsubscribed, deliveries] = await Promise.all([
    db()
      .select({ channel: m.channel, kind: m.kind, status: m.status, n: sql<number>`count(*)`.mapWith(Number) })
      .from(m)
      .where(and(inPeriod, sql`${m.status} in ('sent', 'failed', 'suppressed')`))
      .groupBy(m.channel, m.kind, m.status),
    db()
      .select({
        channel: m.channel,
        kind: m.kind,
        clicks: sql<number>`count(*)`.mapWith(Number),
        clickedMessages: sql<number>`count(distinct ${m.id})`.mapWith(Number),
      })
      .from(l)
      .innerJoin(m, eq(m.id, l.messageId))
      .where(and(inPeriod, eq(l.storeId, storeId), isNotNull(l.firstClickedAt)))
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
  for (const x of clicks) Object.assign(row(x.channel, x.kind), { clicks: x.clicks, clickedMessages: x.clickedMessages });
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
