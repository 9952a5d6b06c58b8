import { type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { SkeletonRows } from '@/components/ui/skeleton';
import { StatusBadge } from '@/components/ui/status-badge';
import { useAdminOrders } from '@/features/admin/api/admin-api';
import { usePageParam } from '@/hooks/use-page-param';
import { getErrorMessage } from '@/lib/error-message';
import { formatDateTime, formatPrice } from '@/lib/format';
import type { AdminOrderQuery, OrderStatus } from '@/types/api';

const STATUSES: OrderStatus[] = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'];
const FIELDS = ['orderNumber', 'buyerEmail', 'seller', 'status', 'from', 'to'] as const;

export function Component() {
  const [params, setParams] = useSearchParams();
  const page = usePageParam();
  const value = (name: (typeof FIELDS)[number]) => params.get(name) ?? '';
  const status = STATUSES.find((s) => s === params.get('status'));
  const query: AdminOrderQuery = {
    page,
    size: 20,
    ...(value('orderNumber') && { orderNumber: value('orderNumber') }),
    ...(value('buyerEmail') && { buyerEmail: value('buyerEmail') }),
    ...(value('seller') && { seller: value('seller') }),
    ...(status && { status }),
    ...(value('from') && { from: value('from') }),
    ...(value('to') && { to: value('to') }),
  };
  const orders = useAdminOrders(query);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of FIELDS) {
      const entry = String(form.get(name) ?? '').trim();
      if (entry) next.set(name, entry);
    }
    setParams(next);
  };
  const toIsTime = value('to').includes('T');

  return (
    <>
      <title>Admin orders · Edge Shop</title>
      <div className="page__header">
        <h1>Orders and payments</h1>
      </div>
      <form className="form card admin-filters" role="search" aria-label="Search orders" onSubmit={onSubmit} key={params.toString()}>
        <label className="field">
          <span className="field__label">Order number</span>
          <input className="input" name="orderNumber" defaultValue={value('orderNumber')} placeholder="e.g. 1A2B3C4D" />
        </label>
        <label className="field">
          <span className="field__label">Buyer e-mail</span>
          <input className="input" name="buyerEmail" type="email" defaultValue={value('buyerEmail')} />
        </label>
        <label className="field">
          <span className="field__label">Seller (e-mail or id)</span>
          <input className="input" name="seller" defaultValue={value('seller')} />
        </label>
        <label className="field">
          <span className="field__label">Status</span>
          <select className="input" name="status" defaultValue={status ?? ''}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Created from</span>
          <input className="input" name="from" type="date" defaultValue={value('from').slice(0, 10)} />
        </label>
        {toIsTime ? (
          <input type="hidden" name="to" value={value('to')} />
        ) : (
          <label className="field">
            <span className="field__label">Created before</span>
            <input className="input" name="to" type="date" defaultValue={value('to')} />
          </label>
        )}
        <div className="form__actions">
          <button type="submit" className="button button--primary">
            Search
          </button>
          <Link className="button button--secondary" to="/admin/orders">
            Clear
          </Link>
        </div>
        {toIsTime ? <p className="field__hint">Created before {formatDateTime(value('to'))}</p> : null}
      </form>
      {orders.isPending && !orders.data ? <SkeletonRows rows={5} /> : null}
      {orders.error && !orders.data ? <ErrorState message={getErrorMessage(orders.error)} onRetry={() => void orders.refetch()} /> : null}
      {orders.data && orders.data.data.length === 0 ? <EmptyState title="No orders match." /> : null}
      {orders.data && orders.data.data.length > 0 ? (
        <>
          <p className="result-count" aria-live="polite">
            {orders.data.meta.totalElements} orders
          </p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Created</th>
                <th scope="col">Buyer</th>
                <th scope="col">Seller</th>
                <th scope="col">Total</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {orders.data.data.map((order) => (
                <tr key={order.id}>
                  <td data-label="Order">
                    <Link to={`/admin/orders/${order.id}`}>
                      <span className="visually-hidden">Order </span>
                      {order.orderNumber}
                    </Link>
                  </td>
                  <td data-label="Created">
                    <time dateTime={order.createdAt}>{formatDateTime(order.createdAt)}</time>
                  </td>
                  <td data-label="Buyer" className="admin-break">
                    {order.buyerEmail ?? order.buyerId}
                  </td>
                  <td data-label="Seller" className="admin-break">
                    {order.sellerEmail ?? order.sellerId}
                  </td>
                  <td data-label="Total">{formatPrice(order.totalAmount)}</td>
                  <td data-label="Status">
                    <StatusBadge status={order.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination page={page} totalPages={orders.data.meta.totalPages} />
        </>
      ) : null}
    </>
  );
}
