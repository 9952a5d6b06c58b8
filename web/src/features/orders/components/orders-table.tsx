import { Link } from 'react-router';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { SkeletonRows } from '@/components/ui/skeleton';
import { StatusBadge } from '@/components/ui/status-badge';
import { getErrorMessage } from '@/lib/error-message';
import { formatDate, formatPrice, pluralize, shortId } from '@/lib/format';
import type { PageMeta } from '@/lib/api-client';
import type { OrderSummary, SellerOrderSummary } from '@/types/api';

interface OrdersTableProps {
  /** The seller's list also names the buyer (`userId`). */
  orders: (OrderSummary | SellerOrderSummary)[] | undefined;
  meta: PageMeta | undefined;
  isPending: boolean;
  error: unknown;
  onRetry: () => void;
  /** Seller view: links to /seller/orders/:id, shows who it ships to and, for a CONFIRMED order, the way to ship it. */
  seller?: boolean;
  emptyTitle?: string;
}

/** "Aurora ANC Headphones + 1 more": the first line's product and how many other lines follow. */
export function orderTitle(order: Pick<OrderSummary, 'firstItem' | 'itemCount'>): string {
  if (!order.firstItem) return pluralize(order.itemCount, 'line');
  return order.itemCount > 1 ? `${order.firstItem.productName} + ${order.itemCount - 1} more` : order.firstItem.productName;
}

export function OrdersTable({ orders, meta, isPending, error, onRetry, seller, emptyTitle = 'No orders yet.' }: OrdersTableProps) {
  if (isPending && !orders) return <SkeletonRows rows={5} />;
  if (error && !orders) return <ErrorState message={getErrorMessage(error)} onRetry={onRetry} />;
  if (!orders || orders.length === 0) return <EmptyState title={emptyTitle} />;

  return (
    <>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Date</th>
            <th scope="col">{seller ? 'Ship to' : 'Seller'}</th>
            <th scope="col">Items</th>
            <th scope="col">Total</th>
            <th scope="col">Status</th>
            {seller ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
            <tr key={order.id}>
              <td data-label="Order">
                <div className="order-cell">
                  {order.firstItem?.imageUrl ? <img src={order.firstItem.imageUrl} alt="" width={40} height={40} loading="lazy" /> : <span className="order-cell__placeholder" aria-hidden="true" />}
                  <span>
                    <strong className="order-cell__title">{orderTitle(order)}</strong>
                    <br />
                    <Link to={seller ? `/seller/orders/${order.id}` : `/orders/${order.id}`}>
                      <span className="visually-hidden">Order </span>
                      {shortId(order.id)}
                    </Link>
                    {!seller && order.checkoutId ? (
                      <>
                        {' · '}
                        <Link className="field__hint" to={`/checkouts/${order.checkoutId}/confirmation`}>
                          Checkout {shortId(order.checkoutId)}
                        </Link>
                      </>
                    ) : null}
                  </span>
                </div>
              </td>
              <td data-label="Date">
                <time dateTime={order.createdAt}>{formatDate(order.createdAt)}</time>
              </td>
              {seller ? (
                <td data-label="Ship to">{order.recipientName ?? ('userId' in order ? shortId(order.userId) : '—')}</td>
              ) : (
                <td data-label="Seller">
                  <Link to={`/sellers/${order.sellerId}`}>{order.sellerName ?? 'View shop'}</Link>
                </td>
              )}
              <td data-label="Items">{pluralize(order.unitCount, 'item')}</td>
              <td data-label="Total">{formatPrice(order.totalAmount)}</td>
              <td data-label="Status">
                <StatusBadge status={order.status} />
              </td>
              {seller ? (
                <td data-label="Actions">
                  {order.status === 'CONFIRMED' ? (
                    <Link className="button button--primary button--small" to={`/seller/orders/${order.id}`}>
                      Ship Order
                      <span className="visually-hidden"> {shortId(order.id)}</span>
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {meta ? <Pagination page={meta.page} totalPages={meta.totalPages} /> : null}
    </>
  );
}
