import { SkeletonRows } from '@/components/ui/skeleton';
import { useOrderHistory } from '@/features/orders/api/get-order';
import { formatDateTime } from '@/lib/format';
import type { OrderHistoryEntry, OrderStatus } from '@/types/api';

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

/** Status history from `/orders/:id/history`, oldest first. */
export function OrderTimeline({ orderId }: { orderId: string }) {
  const history = useOrderHistory(orderId);
  if (history.isPending) return <SkeletonRows rows={3} />;
  if (history.isError) return <p className="field__hint">The status history is unavailable right now.</p>;
  return (
    <ol className="timeline" aria-label="Status history">
      {history.data.map((entry) => (
        <li key={entry.id}>
          <strong>{LABELS[entry.newStatus] ?? entry.newStatus}</strong>
          <br />
          <time className="field__hint" dateTime={entry.changedAt}>
            {formatDateTime(entry.changedAt)}
          </time>
          {describeReason(entry) ? <p className="field__hint">{describeReason(entry)}</p> : null}
        </li>
      ))}
    </ol>
  );
}
