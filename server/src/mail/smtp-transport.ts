/** Sending one e-mail over SMTP with nodemailer, loaded only where e-mail is configured. */
import type { OutgoingMail } from '../storage/mail-outbox.ts';

/** What the mailer needs of a transport: send, or throw (the mail is tried again later). */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Seconds an SMTP server may take to connect, greet and answer before a send counts as failed. */
const SMTP_TIMEOUT_MS = 30_000;

export async function smtpTransport(smtpUrl: string, from: string): Promise<MailTransport> {
  const nodemailer = await import('nodemailer');
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  return {
    async send(mail) {
      await transporter.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close() {
      transporter.close();
    },
  };
}
