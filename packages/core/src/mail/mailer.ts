import { createTransport } from 'nodemailer';
import type { Settings } from '../config.js';

/** One plain-text e-mail to one recipient. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** The e-mail channel. Callers check `enabled` and skip when it is off; a disabled mailer never pretends to send. */
export interface Mailer {
  enabled: boolean;
  send(message: MailMessage): Promise<void>;
}

/** An SMTP mailer from SMTP_URL and MAIL_FROM, or a disabled one when SMTP_URL is not set. */
export function createMailer(settings: Pick<Settings, 'SMTP_URL' | 'MAIL_FROM'>): Mailer {
  const url = settings.SMTP_URL;
  if (!url) {
    return {
      enabled: false,
      async send() {
        throw new Error('E-mail is not configured: set SMTP_URL (e.g. smtp://mail.example.com:587) to send mail');
      },
    };
  }
  // One connection per message: mail is occasional, and nothing stays open between jobs.
  const transport = createTransport(url, { from: settings.MAIL_FROM });
  return {
    enabled: true,
    async send({ to, subject, text }) {
      const info = await transport.sendMail({ to, subject, text });
      if (info.rejected.length > 0) throw new Error(`The SMTP server refused the recipient ${info.rejected.join(', ')}`);
    },
  };
}
