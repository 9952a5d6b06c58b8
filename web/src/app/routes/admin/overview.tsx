import { Link } from 'react-router';

import { ErrorState } from '@/components/ui/empty-state';
import { SkeletonRows } from '@/components/ui/skeleton';
import { StatusBadge } from '@/components/ui/status-badge';
import { useAdminSummary } from '@/features/admin/api/admin-api';
import { OrdersChart } from '@/features/admin/components/orders-chart';
import { getErrorMessage } from '@/lib/error-message';
import { formatDateTime, formatPrice } from '@/lib/format';

const dayStart = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

function Stat({ label, value, to, hint }: { label: string; value: string | number; to: string; hint?: string }) {
  return (
    <li className="card stat-card">
      <Link to={to} className="stat-card__link">
        <span className="stat-card__value">{value}</span>
        <span className="stat-card__label">{label}</span>
      </Link>
      {hint ? <span className="field__hint">{hint}</span> : null}
    </li>
  );
}

export function Component() {
  const summary = useAdminSummary();
  const s = summary.data;
  return (
    <>
      <title>Admin overview · Edge Shop</title>
      <div className="page__header">
        <h1>Overview</h1>
        {s ? <span className="field__hint">Updated {formatDateTime(s.generatedAt)}</span> : null}
      </div>
      {summary.isPending ? <SkeletonRows rows={4} /> : null}
      {summary.error && !s ? <ErrorState message={getErrorMessage(summary.error)} onRetry={() => void summary.refetch()} /> : null}
      {s ? (
        <>
          <section aria-labelledby="sales-title">
            <h2 id="sales-title" className="section-title">
              Orders and revenue
            </h2>
            <ul className="stat-grid">
              <Stat label="Orders today" value={s.periods.today.orders} hint={`${formatPrice(s.periods.today.revenue)} paid`} to={`/admin/orders?from=${dayStart(0)}`} />
              <Stat label="Orders, 7 days" value={s.periods.last7Days.orders} hint={`${formatPrice(s.periods.last7Days.revenue)} paid`} to={`/admin/orders?from=${dayStart(6)}`} />
              <Stat label="Orders, 30 days" value={s.periods.last30Days.orders} hint={`${formatPrice(s.periods.last30Days.revenue)} paid`} to={`/admin/orders?from=${dayStart(29)}`} />
            </ul>
            <OrdersChart daily={s.daily} />
          </section>
          <section aria-labelledby="status-title">
            <h2 id="status-title" className="section-title">
              Orders by status
            </h2>
            <ul className="stat-grid">
              {Object.entries(s.ordersByStatus).map(([status, total]) => (
                <li key={status} className="card stat-card">
                  <Link to={`/admin/orders?status=${status}`} className="stat-card__link">
                    <span className="stat-card__value">{total}</span>
                    <span className="stat-card__label">
                      <StatusBadge status={status} />
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="ops-title">
            <h2 id="ops-title" className="section-title">
              Saga and health
            </h2>
            <ul className="stat-grid">
              <Stat
                label="PENDING over 5 minutes"
                value={s.pendingOlderThan5m}
                to={`/admin/orders?status=PENDING&to=${encodeURIComponent(new Date(Date.parse(s.generatedAt) - 5 * 60_000).toISOString())}`}
              />
              <Stat label="Dead letters waiting" value={s.deadLettersWaiting} to="/admin/dead-letters?open=true" />
              <Stat label="Unpublished outbox rows" value={s.outboxUnpublished} to="/admin/dead-letters" hint="Relayed after each request and every minute" />
              <Stat label={`Database (${s.health.database.latencyMs} ms)`} value={s.health.database.status} to="/admin/dead-letters" />
              <Stat label={`Queue (${s.health.queue.staleOutboxRows} stale rows)`} value={s.health.queue.status} to="/admin/dead-letters" />
            </ul>
          </section>
        </>
      ) : null}
    </>
  );
}
