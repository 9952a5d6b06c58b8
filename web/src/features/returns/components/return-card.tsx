import type { ReactNode } from 'react';

import { StatusBadge } from '@/components/ui/status-badge';
import { formatDateTime, formatPrice, shortId } from '@/lib/format';
import type { Return } from '@/types/api';

const LABELS: Record<string, string> = {
  REQUESTED: 'Return requested',
  APPROVED: 'Approved by the seller',
  REJECTED: 'Rejected by the seller',
  SENT: 'Sent back by the buyer',
  RECEIVED: 'Received by the seller',
  REFUNDED: 'Refund issued',
};

/** One return: its status, lines, refund and history, with the actions the viewer may take below. */
export function ReturnCard({ value, children }: { value: Return; children?: ReactNode }) {
  const titleId = `return-${value.id}-title`;
  return (
    <section className="card form" aria-labelledby={titleId}>
      <h3 id={titleId} className="field__label">
        Return {shortId(value.id)} <StatusBadge status={value.status} />
      </h3>
      <ul aria-label="Returned items">
        {value.lines.map((line) => (
          <li key={line.orderItemId}>
            {line.quantity} × {line.productName} ({formatPrice(line.refund)})
          </li>
        ))}
      </ul>
      <p>
        Reason: {value.reason}
        {value.sellerNote ? (
          <>
            <br />
            Seller&rsquo;s note: {value.sellerNote}
          </>
        ) : null}
        {value.refundAmount !== null ? (
          <>
            <br />
            Refund: <strong>{formatPrice(value.refundAmount)}</strong>
          </>
        ) : null}
      </p>
      <ol className="timeline" aria-label={`History of return ${shortId(value.id)}`}>
        {value.history.map((entry) => (
          <li key={`${entry.newStatus}-${entry.changedAt}`}>
            <strong>{LABELS[entry.newStatus] ?? entry.newStatus}</strong>
            <br />
            <time className="field__hint" dateTime={entry.changedAt}>
              {formatDateTime(entry.changedAt)}
            </time>
          </li>
        ))}
      </ol>
      {children}
    </section>
  );
}
