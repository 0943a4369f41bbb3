// DKIM signing with an Ed25519 key (RFC 8463, ed25519-sha256), which nodemailer's own signer does
// not do (it writes rsa-sha256 only). The message is composed by nodemailer as it would send it,
// then signed here with relaxed/relaxed canonicalization (RFC 6376 §3.4) and sent as raw bytes.
import { createHash, sign, type KeyObject } from 'node:crypto';

/** The headers signed when the message has them: what a receiver shows, and the one-click unsubscribe pair (RFC 8058). */
const SIGNED = [
  'from',
  'to',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'list-unsubscribe',
  'list-unsubscribe-post',
];

/** The raw message with an ed25519-sha256 DKIM-Signature header first. */
export function signEd25519(raw: Buffer, opts: { domainName: string; keySelector: string; key: KeyObject; now: number }): Buffer {
  // Bytes as they are (canonicalization works on octets), every line ending CRLF as it goes over
  // SMTP: a part's bare LF would otherwise hash differently here and at the receiver.
  const text = raw.toString('latin1').replace(/\r?\n/g, '\r\n');
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split + 2);
  const body = split < 0 ? '' : text.slice(split + 4);
  const fields = headerFields(head);
  const present = SIGNED.filter((name) => fields.some((f) => f.name === name));
  const bodyHash = createHash('sha256').update(relaxedBody(body), 'latin1').digest('base64');
  const tags = `v=1; a=ed25519-sha256; c=relaxed/relaxed; d=${opts.domainName}; s=${opts.keySelector}; t=${Math.floor(opts.now / 1000)}; h=${present.join(':')}; bh=${bodyHash}; b=`;
  // The last instance of each signed header, then the signature header itself with b= empty and no CRLF.
  let data = '';
  for (const name of present) data += relaxedHeader(fields.findLast((f) => f.name === name)!.line) + '\r\n';
  data += relaxedHeader(`DKIM-Signature: ${tags}`);
  const signature = sign(null, createHash('sha256').update(data, 'latin1').digest(), opts.key).toString('base64');
  return Buffer.from(`DKIM-Signature: ${tags}${signature}\r\n${text}`, 'latin1');
}

/** The header block as fields, each with its lower-case name and its whole (possibly folded) line. */
function headerFields(head: string): { name: string; line: string }[] {
  const fields: { name: string; line: string }[] = [];
  for (const line of head.split('\r\n')) {
    if (line === '') continue;
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1]!.line += `\r\n${line}`;
    else fields.push({ name: line.slice(0, line.indexOf(':')).trim().toLowerCase(), line });
  }
  return fields;
}

/** RFC 6376 §3.4.2: name lower case, unfolded, runs of whitespace one space, none around the colon or at the end. */
function relaxedHeader(line: string): string {
  const colon = line.indexOf(':');
  const name = line.slice(0, colon).trim().toLowerCase();
  const value = line
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

/** RFC 6376 §3.4.4: whitespace runs one space, none at line ends, no empty lines at the end; an empty body stays empty. */
function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? lines.join('\r\n') + '\r\n' : '';
}
