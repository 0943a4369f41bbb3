// Hands one email to the SMTP transport, DKIM-signed with the store's key when it has one: an RSA
// key through nodemailer's own `dkim` option, an Ed25519 key by composing the message here and
// signing it (dkim-ed25519.ts), since nodemailer signs rsa-sha256 only.
import { createPrivateKey } from 'node:crypto';
import type { SendMailOptions, Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { DkimSigning } from '../stores/dkim-key.ts';
import { signEd25519 } from './dkim-ed25519.ts';

type Mail = SendMailOptions & { from: { name: string; address: string }; to: string };

export async function sendMail(transport: Transporter, mail: Mail, dkim: DkimSigning | undefined, now = Date.now()): Promise<void> {
  const key = dkim ? createPrivateKey(dkim.privateKey) : null;
  if (!dkim || !key || key.asymmetricKeyType !== 'ed25519') {
    await transport.sendMail({ ...mail, dkim });
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
