/**
 * Why a channel did not deliver. The queue reads `kind`: `transient` is retried later,
 * `permanent` is given up, `bounce` also marks the address undeliverable, and `gone` (a push
 * subscription that expired) removes the subscription.
 */
export type DeliveryErrorKind = 'transient' | 'permanent' | 'bounce' | 'gone';

export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    readonly providerCode?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}
