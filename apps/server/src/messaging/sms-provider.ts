/** An SMS gateway. A refusal throws a DeliveryError; `segments` is what the provider billed. */
export interface SmsProvider {
  name: string;
  send(input: {
    /** E.164, e.g. +48500100200. */
    to: string;
    /** The registered sender name (up to 11 characters) or number. */
    from: string;
    text: string;
    /** The message's send key: a retry with the same key is not sent twice where the provider allows. */
    idempotencyKey: string;
  }): Promise<{ providerId: string; segments: number }>;
}

export type FetchLike = typeof fetch;
