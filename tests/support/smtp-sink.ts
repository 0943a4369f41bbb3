// A real SMTP server in the test process (the smtp-server package): accepts what it is sent, parses
// each message with mailparser, and answers RCPT TO as a test asks (550 for a dead address, 451
// once for a greylisting one).
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  url: string;
  received: { raw: string; mail: ParsedMail; to: string[] }[];
  /** Recipient (lower case) → SMTP code to answer RCPT TO with; `once` answers it only the first time. */
  refuse: Map<string, { code: number; once?: boolean }>;
  /** Recipients whose message is taken in full but never answered (the sender is killed meanwhile). */
  hold: Set<string>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: SmtpSink['received'] = [];
  const refuse: SmtpSink['refuse'] = new Map();
  const hold: SmtpSink['hold'] = new Set();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      const rule = refuse.get(address.address.toLowerCase());
      if (rule) {
        if (rule.once) refuse.delete(address.address.toLowerCase());
        const err = Object.assign(new Error(rule.code >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: rule.code });
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        void simpleParser(raw).then((mail) => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          received.push({ raw, mail, to });
          if (!to.some((a) => hold.has(a.toLowerCase()))) cb();
        }, cb);
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse,
    hold,
    close: () => new Promise<void>((r) => server.close(() => r())), // held sessions end with it
  };
}
