import { Link } from 'react-router';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { SkeletonRows } from '@/components/ui/skeleton';
import { StatusBadge } from '@/components/ui/status-badge';
import { useSellerReturns } from '@/features/returns/api/returns';
import { ReturnPolicyForm } from '@/features/returns/components/return-policy-form';
import { usePageParam } from '@/hooks/use-page-param';
import { getErrorMessage } from '@/lib/error-message';
import { formatDate, formatPrice, shortId } from '@/lib/format';

/** The seller's returns, newest first; each opens its order, where the return is handled. */
export function Component() {
  const page = usePageParam();
  const returns = useSellerReturns({ page });
  const list = returns.data?.data;

  return (
    <div className="page container">
      <title>Returns · Edge Shop</title>
      <div className="page__header">
        <h1>Returns</h1>
      </div>
      <ReturnPolicyForm />
      {returns.isPending && !list ? (
        <SkeletonRows rows={5} />
      ) : returns.error && !list ? (
        <ErrorState message={getErrorMessage(returns.error)} onRetry={() => void returns.refetch()} />
      ) : !list || list.length === 0 ? (
        <EmptyState title="No returns yet." />
      ) : (
        <>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Requested</th>
                <th scope="col">Items</th>
                <th scope="col">Reason</th>
                <th scope="col">Refund</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr key={r.id}>
                  <td data-label="Order">
                    <Link to={`/seller/orders/${r.orderId}`}>
                      <span className="visually-hidden">Order </span>
                      {shortId(r.orderId)}
                    </Link>
                  </td>
                  <td data-label="Requested">{formatDate(r.createdAt)}</td>
                  <td data-label="Items">{r.itemCount}</td>
                  <td data-label="Reason">{r.reason}</td>
                  <td data-label="Refund">{r.refundAmount === null ? '—' : formatPrice(r.refundAmount)}</td>
                  <td data-label="Status">
                    <StatusBadge status={r.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {returns.data?.meta ? <Pagination page={returns.data.meta.page} totalPages={returns.data.meta.totalPages} /> : null}
        </>
      )}
    </div>
  );
}
