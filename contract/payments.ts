/**
 * The payment's vocabulary, named by the payments tables (`workers/payments/tables.ts`) and by the answers that
 * carry a payment: orders' checkout (`workers/orders/payment-schema.ts`) and the `paymentConfirmation` field of an
 * order or checkout request. Plain constants, so both domains share them without importing each other.
 */

export const PAYMENT_STATUSES = ['PENDING', 'COMPLETED', 'FAILED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_METHODS = ['MOCK_CARD', 'MOCK_WALLET'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * How a payment is confirmed: `off_session` — charged by the saga without the buyer (a decline is final);
 * `client` — the buyer confirms it on the provider's form (a declined attempt leaves it PENDING for another card).
 */
export const PAYMENT_CONFIRMATIONS = ['off_session', 'client'] as const;
export type PaymentConfirmation = (typeof PAYMENT_CONFIRMATIONS)[number];
