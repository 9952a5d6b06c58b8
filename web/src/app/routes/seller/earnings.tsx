import { Link } from 'react-router';

import { ErrorState, EmptyState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useMyBalance, useMyLedger } from '@/features/seller/api/marketplace';
import { usePageParam } from '@/hooks/use-page-param';
import { getErrorMessage } from '@/lib/error-message';
import { formatDate, formatPrice, shortId } from '@/lib/format';
import type { LedgerEntry } from '@/types/api';

const LABELS: Record<LedgerEntry['type'], string> = {
  SALE: 'Sale',
  RELEASE: 'Released',
  REFUND: 'Refund (reversal)',
  RETURN: 'Return refunded',
  PAYOUT: 'Payout',
  PAYOUT_REVERSAL: 'Payout returned',
};

const signed = (amount: number) => (amount === 0 ? '—' : `${amount > 0 ? '+' : '−'}${formatPrice(Math.abs(amount))}`);

/** The seller's earnings: balance (pending until delivery, then available for payout) and the ledger behind it. */
export function Component() {
  const page = usePageParam();
  const balance = useMyBalance();
  const ledger = useMyLedger(page);

  return (
    <div className="page container">
      <title>Earnings · Edge Shop</title>
      <div className="page__header">
        <h1>Earnings</h1>
      </div>
      {balance.isPending ? (
        <SkeletonRows rows={2} />
      ) : balance.isError ? (
        <ErrorState message={getErrorMessage(balance.error)} onRetry={() => void balance.refetch()} />
      ) : (
        <dl className="summary-card" aria-label="Balance">
          <div className="summary-row">
            <dt>Pending (paid, not yet delivered)</dt>
            <dd>{formatPrice(balance.data.pending)}</dd>
          </div>
          <div className="summary-row summary-row--total">
            <dt>Available for payout</dt>
            <dd>{formatPrice(balance.data.available)}</dd>
          </div>
          <div className="summary-row">
            <dt>Gross sales</dt>
            <dd>{formatPrice(balance.data.grossSales)}</dd>
          </div>
          <div className="summary-row">
            <dt>Platform commission</dt>
            <dd>{formatPrice(balance.data.commission)}</dd>
          </div>
          <div className="summary-row">
            <dt>Paid out</dt>
            <dd>{formatPrice(balance.data.paidOut)}</dd>
          </div>
        </dl>
      )}
      <h2 className="section-title">Ledger</h2>
      {ledger.isPending && !ledger.data ? (
        <SkeletonRows rows={5} />
      ) : ledger.isError && !ledger.data ? (
        <ErrorState message={getErrorMessage(ledger.error)} onRetry={() => void ledger.refetch()} />
      ) : !ledger.data || ledger.data.data.length === 0 ? (
        <EmptyState title="No earnings yet." />
      ) : (
        <>
          <table className="table" aria-label="Ledger entries">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Entry</th>
                <th scope="col">Order</th>
                <th scope="col">Gross</th>
                <th scope="col">Commission</th>
                <th scope="col">Pending</th>
                <th scope="col">Available</th>
              </tr>
            </thead>
            <tbody>
              {ledger.data.data.map((entry) => (
                <tr key={entry.id}>
                  <td data-label="Date">
                    <time dateTime={entry.createdAt}>{formatDate(entry.createdAt)}</time>
                  </td>
                  <td data-label="Entry">{LABELS[entry.type]}</td>
                  <td data-label="Order">{entry.orderId ? <Link to={`/seller/orders/${entry.orderId}`}>{shortId(entry.orderId)}</Link> : '—'}</td>
                  <td data-label="Gross">{signed(entry.gross)}</td>
                  <td data-label="Commission">{signed(entry.commission)}</td>
                  <td data-label="Pending">{signed(entry.pendingDelta)}</td>
                  <td data-label="Available">{signed(entry.availableDelta)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination page={ledger.data.meta.page} totalPages={ledger.data.meta.totalPages} label="Ledger pages" />
        </>
      )}
    </div>
  );
}
