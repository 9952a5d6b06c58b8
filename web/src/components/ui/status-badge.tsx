const TONES: Record<string, string> = {
  PENDING: 'warning',
  CONFIRMED: 'info',
  SHIPPED: 'info',
  DELIVERED: 'success',
  CANCELLED: 'danger',
  COMPLETED: 'success',
  FAILED: 'danger',
  REFUNDED: 'neutral',
  ACTIVE: 'success',
  INACTIVE: 'neutral',
  DELETED: 'danger',
  REQUESTED: 'warning',
  APPROVED: 'info',
  REJECTED: 'danger',
  SENT: 'info',
  RECEIVED: 'info',
};

/** Order, payment, return and product statuses as a coloured label; the text, not the colour, carries the meaning. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge--${TONES[status] ?? 'neutral'}`}>{status.charAt(0) + status.slice(1).toLowerCase()}</span>;
}
