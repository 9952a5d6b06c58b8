import { SkeletonRows } from '@/components/ui/skeleton';
import { useOrderHistory } from '@/features/orders/api/get-order';
import { formatDateTime } from '@/lib/format';

const LABELS: Record<string, string> = {
  PENDING: 'Order placed',
  CONFIRMED: 'Payment confirmed',
  SHIPPED: 'Shipped',
  DELIVERED: 'Delivered',
  CANCELLED: 'Cancelled',
};

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
          {entry.reason ? <p className="field__hint">{entry.reason}</p> : null}
        </li>
      ))}
    </ol>
  );
}
