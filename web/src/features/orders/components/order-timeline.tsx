import { SkeletonRows } from '@/components/ui/skeleton';
import { useOrderHistory } from '@/features/orders/api/get-order';
import { formatDateTime, formatPrice } from '@/lib/format';
import type { OrderHistoryEntry, OrderRefund, OrderStatus } from '@/types/api';

const LABELS: Record<OrderStatus, string> = {
  PENDING: 'Order placed',
  CONFIRMED: 'Payment received',
  SHIPPED: 'Shipped',
  DELIVERED: 'Delivered',
  CANCELLED: 'Cancelled',
};

const CANCELLED_BY: Record<string, string> = { 'cancelled by buyer': 'Cancelled by the buyer.', 'cancelled by admin': 'Cancelled by the shop.' };

/**
 * What a history entry's reason means to a person. The reasons are written for operators ("payment 01a2… completed",
 * "checkout … placed"); the label already says those, so they are not repeated, and known causes are put in words.
 */
export function describeReason(entry: Pick<OrderHistoryEntry, 'newStatus' | 'reason'>): string | null {
  const reason = entry.reason?.trim();
  if (!reason) return null;
  if (entry.newStatus === 'PENDING' || entry.newStatus === 'CONFIRMED' || entry.newStatus === 'DELIVERED') return null;
  if (entry.newStatus === 'SHIPPED') return reason === 'shipped' ? null : reason.replace(/^shipped with (.+) \((.+)\)$/, 'With $1, tracking number $2');
  if (reason === 'payment timeout') return 'Not paid in time, so the order was cancelled and its items released.';
  if (/^(payment|gateway) (failed|declined)/i.test(reason)) return 'The payment was declined, so the order was cancelled.';
  return CANCELLED_BY[reason] ?? `Reason: ${reason}`;
}

const REFUND_REASONS: Record<OrderRefund['reason'], string> = {
  cancellation: 'for the cancelled order',
  return: 'for returned items',
};

type TimelineEntry = { key: string; at: string; title: string; note: string | null };

/** Status changes and refunds in one list, oldest first. */
export function timelineEntries(history: OrderHistoryEntry[], refunds: OrderRefund[]): TimelineEntry[] {
  return [
    ...history.map((entry) => ({ key: `status-${entry.id}`, at: entry.changedAt, title: LABELS[entry.newStatus], note: describeReason(entry) })),
    ...refunds.map((refund, i) => ({
      key: `refund-${i}`,
      at: refund.refundedAt,
      title: `Refunded ${formatPrice(refund.amount)}`,
      note: `${REFUND_REASONS[refund.reason]}, to the original payment method.`,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
}

/** Status history from `/orders/:id/history` with the order's refunds, oldest first. */
export function OrderTimeline({ orderId, refunds = [] }: { orderId: string; refunds?: OrderRefund[] }) {
  const history = useOrderHistory(orderId);
  if (history.isPending) return <SkeletonRows rows={3} />;
  if (history.isError) return <p className="field__hint">The status history is unavailable right now.</p>;
  return (
    <ol className="timeline" aria-label="Status history">
      {timelineEntries(history.data, refunds).map((entry) => (
        <li key={entry.key}>
          <strong>{entry.title}</strong>
          <br />
          <time className="field__hint" dateTime={entry.at}>
            {formatDateTime(entry.at)}
          </time>
          {entry.note ? <p className="field__hint">{entry.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}
