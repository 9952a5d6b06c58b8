import { shortOrderNumber } from '@/notifications/service';
import { formatCents } from '@contract/money';

/** An amount as people read it in a notification: `12.50 USD`. */
export const money = (cents: number, currency = 'USD') => `${formatCents(cents)} ${currency}`;

/** What a notification about an order says: its type, and the title and body people see. */
export interface OrderNotice {
  type: string;
  title: string;
  body?: string;
}

interface Amount {
  totalCents: number;
  currency: string;
}

/** The wording of every notification the order saga and its people's actions send, by event. */
export const orderNotices = {
  /** To the seller: a new order awaits payment (a checkout's order also names its shipping). */
  placed: (orderId: string, { totalCents, currency }: Amount, shippingCents?: number): OrderNotice => ({
    type: 'ORDER_PLACED',
    title: `New order ${shortOrderNumber(orderId)} received`,
    body: `Total ${money(totalCents, currency)}${shippingCents === undefined ? '' : ` (shipping ${money(shippingCents, currency)})`}, awaiting payment.`,
  }),
  /** To the seller: the buyer or an administrator cancelled the order. */
  cancelled: (orderId: string, by: 'admin' | 'buyer', reason: string): OrderNotice => ({
    type: 'ORDER_CANCELLED',
    title: by === 'admin' ? `Order ${shortOrderNumber(orderId)} was cancelled` : `Buyer cancelled order ${shortOrderNumber(orderId)}`,
    body: `${by === 'admin' ? 'An administrator' : 'The buyer'} cancelled it (${reason}).`,
  }),
  /** To the buyer. */
  shipped: (orderId: string): OrderNotice => ({ type: 'ORDER_SHIPPED', title: `Order ${shortOrderNumber(orderId)} is on its way` }),
  /** To the seller. */
  delivered: (orderId: string): OrderNotice => ({ type: 'ORDER_DELIVERED', title: `Order ${shortOrderNumber(orderId)} was delivered` }),
  /** To the seller: paid, ship it. */
  paid: (orderId: string, { totalCents, currency }: Amount): OrderNotice => ({
    type: 'ORDER_PAID',
    title: `Paid — ready to ship: order ${shortOrderNumber(orderId)}`,
    body: `Payment of ${money(totalCents, currency)} received.`,
  }),
  /** To the buyer. */
  paymentConfirmed: (orderId: string, { totalCents, currency }: Amount): OrderNotice => ({
    type: 'PAYMENT_CONFIRMED',
    title: `Payment confirmed for order ${shortOrderNumber(orderId)}`,
    body: `We received ${money(totalCents, currency)}.`,
  }),
  /** To the buyer: paid, but a unit could not be taken from stock. */
  unfulfillableToBuyer: (orderId: string, { totalCents, currency }: Amount): OrderNotice => ({
    type: 'ORDER_CANCELLED',
    title: `Order ${shortOrderNumber(orderId)} was cancelled: an item could not be taken from stock`,
    body: `Your payment of ${money(totalCents, currency)} will be refunded.`,
  }),
  /** To the seller, of the same event. */
  unfulfillableToSeller: (orderId: string): OrderNotice => ({
    type: 'ORDER_CANCELLED',
    title: `Order ${shortOrderNumber(orderId)} was cancelled: stock was not available`,
    body: 'Nothing to ship; the buyer is refunded.',
  }),
  /** To the buyer: the payment arrived after the order was cancelled. */
  refundPending: (orderId: string, { totalCents, currency }: Amount): OrderNotice => ({
    type: 'REFUND_PENDING',
    title: `Payment for cancelled order ${shortOrderNumber(orderId)} will be refunded`,
    body: `Your payment of ${money(totalCents, currency)} arrived after the order was cancelled.`,
  }),
  /** To the buyer. */
  paymentFailed: (orderId: string): OrderNotice => ({
    type: 'PAYMENT_FAILED',
    title: `Payment failed for order ${shortOrderNumber(orderId)}`,
    body: 'The payment was declined, so the order was cancelled. You can place it again with another payment method.',
  }),
  /** To the buyer: the reaper cancelled an order that was never paid. */
  paymentTimedOut: (orderId: string): OrderNotice => ({ type: 'ORDER_CANCELLED', title: `Order ${shortOrderNumber(orderId)} was cancelled: payment timeout` }),
};
