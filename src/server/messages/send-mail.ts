// Hands one email to the SMTP transport, DKIM-signed with the store's key when it has one: an RSA
// key through nodemailer's own `dkim` option, an Ed25519 key by composing the message here and
// signing it (dkim-ed25519.ts), since nodemailer signs rsa-sha256 only.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { SendMailOptions, Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { encode, wrap } from 'nodemailer/lib/qp';
import type { DkimSigning } from '../stores/dkim-key.ts';
import { signEd25519 } from './dkim-ed25519.ts';

type Mail = SendMailOptions & { from: { name: string; address: string }; to: string };

export async function sendMail(transport: Transporter, given: Mail, dkim: DkimSigning | undefined, now = Date.now()): Promise<void> {
  const mail = typeof given.html === 'string' ? { ...given, html: htmlPart(given.html) } : given;
  if (!dkim) {
    await transport.sendMail(mail);
    return;
  }
  const key = privateKeyOf(dkim.privateKey);
  if (key.asymmetricKeyType !== 'ed25519') {
    // The parsed key in place of its PEM: node's signer accepts either, and parsing it cost as much as a signature.
    const privateKey = key as unknown as string;
    await transport.sendMail({ ...mail, dkim: { ...dkim, privateKey } });
    return;
  }
  const raw = await new Promise<Buffer>((resolve, reject) =>
    new MailComposer(mail).compile().build((err, message) => (err ? reject(err) : resolve(message))),
  );
  await transport.sendMail({
    envelope: { from: mail.from.address, to: [mail.to] },
    raw: signEd25519(raw, { domainName: dkim.domainName, keySelector: dkim.keySelector, key, now }),
  });
}

/** The store's key parsed once per process (per PEM): a store's emails all sign with the same key. */
function privateKeyOf(pem: string): KeyObject {
  let key = KEYS.get(pem);
  if (!key) {
    key = createPrivateKey(pem);
    if (KEYS.size >= 100) KEYS.clear();
    KEYS.set(pem, key);
  }
  return key;
}
const KEYS = new Map<string, KeyObject>();

/**
 * The HTML part as nodemailer would write it (quoted-printable, UTF-8), encoded line by line with
 * each line's encoding kept: quoted-printable wraps and escapes within a line, so the lines of the
 * layout every email shares are encoded once per process, not once per email (in the email job's
 * CPU profile, nodemailer's streaming encoder was the largest cost of composing a message).
 */
function htmlPart(html: string): { raw: string } {
  const body = html.split(/\r?\n/).map((line) => {
    let encoded = LINES.get(line);
    if (encoded === undefined) {
      encoded = wrap(encode(line), 76);
      if (LINES.size >= 20_000) LINES.clear();
      LINES.set(line, encoded);
    }
    return encoded;
  });
  return { raw: `Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${body.join('\r\n')}` };
}
const LINES = new Map<string, string>();
