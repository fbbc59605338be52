/** One email ready to hand to a transport; `messageId` is derived from the send key. */
export interface OutgoingEmail {
  to: string;
  from: { name: string; address: string };
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers such as List-Unsubscribe (see list-unsubscribe.ts). */
  headers: Record<string, string>;
  /** `<sendkey@domain>`: the same send key always gives the same Message-ID. */
  messageId: string;
  /** Files sent with it (a gift card's printable voucher). */
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

export interface EmailTransport {
  /** Resolves once the server accepted the mail; a refusal throws a DeliveryError. */
  send(mail: OutgoingEmail): Promise<{ providerId: string }>;
  close(): Promise<void>;
}

/**
 * The Message-ID for a send key, so a retried send carries the same id and receiving systems
 * (and our bounce handling) can tell it is the same message.
 */
export function messageIdFor(sendKey: string, domain = 'lojal'): string {
  const local = sendKey.replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]/g, '-');
  return `<${local}@${domain}>`;
}
