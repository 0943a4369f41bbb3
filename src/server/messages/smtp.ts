// The SMTP connection: nodemailer's pooled transport over WAYPOST_SMTP_URL, with timeouts so a slow
// server holds up only the email job, never a page or a webhook. One per process and URL.
import nodemailer, { type Transporter } from 'nodemailer';

type Transport = Transporter;
const g = globalThis as typeof globalThis & { __waypostSmtp?: Map<string, Transport> };

/**
 * The pooled transport for this URL (smtp:// upgrades with STARTTLS when offered; smtps:// is TLS
 * from the start), with `connections` connections at most: the email job asks for one per send it
 * runs side by side, since a send holds its connection for four round trips (MAIL, RCPT, DATA,
 * the body) and sends beyond the pool's size only wait for them.
 */
export function smtpTransport(url: string, connections = 4): Transport {
  g.__waypostSmtp ??= new Map();
  const key = `${connections} ${url}`;
  let t = g.__waypostSmtp.get(key);
  if (!t) {
    t = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: connections,
      maxMessages: 500,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      tls: { minVersion: 'TLSv1.2' },
    } as Parameters<typeof nodemailer.createTransport>[0]);
    g.__waypostSmtp.set(key, t);
  }
  return t;
}

/** Closes every pooled connection (tests, a clean stop). */
export function closeSmtpTransports(): void {
  for (const t of g.__waypostSmtp?.values() ?? []) t.close();
  g.__waypostSmtp?.clear();
}
