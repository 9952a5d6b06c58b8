import { Link } from 'react-router';

import { AddressView, shippingAddressValues } from '@/components/ui/address-fields';
import { StatusBadge } from '@/components/ui/status-badge';
import { formatDateTime, formatPrice, shortId, taxLabel } from '@/lib/format';
import type { Order } from '@/types/api';

/** What a cancelled order's buyer got back: the amount refunded, nothing charged, or a refund on its way. */
export function cancellationRefund(order: Pick<Order, 'paymentId' | 'refunds'>): string {
  const refunded = (order.refunds ?? []).filter((r) => r.reason === 'cancellation').reduce((sum, r) => sum + r.amount, 0);
  if (refunded > 0) return `${formatPrice(refunded)} to your payment method`;
  return order.paymentId ? 'On its way to your payment method' : 'Nothing was charged';
}

/** Items with thumbnails and links, total, shipping address and order facts; shared by buyer and seller views. */
export function OrderSummaryView({ order, sellerLink }: { order: Order; sellerLink?: boolean }) {
  return (
    <div className="form">
      <ul className="order-items" aria-label="Items">
        {order.items.map((item) => (
          <li key={item.id} className="order-item">
            {item.imageUrl ? <img src={item.imageUrl} alt="" width={56} height={56} loading="lazy" /> : <span aria-hidden="true" />}
            <span>
              <Link to={`/products/${item.productId}`}>{item.productName}</Link>
              <br />
              <span className="field__hint">
                {item.quantity} × {formatPrice(item.unitPrice)}
              </span>
            </span>
            <span className="order-item__amount">
              <strong>{formatPrice(item.subtotal)}</strong>
              {item.discount > 0 ? <span className="field__hint"> −{formatPrice(item.discount)}</span> : null}
            </span>
          </li>
        ))}
      </ul>
      <p className="summary-row">
        <span>Subtotal</span>
        <span>{formatPrice(order.totals.subtotal)}</span>
      </p>
      <p className="summary-row">
        <span>Shipping</span>
        <span>{formatPrice(order.totals.shipping)}</span>
      </p>
      <p className="summary-row">
        <span>Discount{order.promoCode ? ` (${order.promoCode})` : ''}</span>
        <span>{order.totals.discount > 0 ? `−${formatPrice(order.totals.discount)}` : formatPrice(0)}</span>
      </p>
      <p className="summary-row">
        <span>{taxLabel(order.totals)}</span>
        <span>{formatPrice(order.totals.tax)}</span>
      </p>
      <p className="summary-row summary-row--total">
        <span>Total</span>
        <span>{formatPrice(order.totalAmount)}</span>
      </p>
      <div className="form__row">
        <section className="card" aria-labelledby="shipping-title">
          <h2 id="shipping-title" className="field__label">
            Shipping address
          </h2>
          <AddressView values={shippingAddressValues(order.shippingAddress)} />
        </section>
        <section className="card" aria-labelledby="order-info-title">
          <h2 id="order-info-title" className="field__label">
            Order info
          </h2>
          <p className="summary-row">
            <span>Order</span>
            <span>{shortId(order.id)}</span>
          </p>
          <p className="summary-row">
            <span>Status</span>
            <StatusBadge status={order.status} />
          </p>
          {order.cancelReason ? (
            <p className="summary-row">
              <span>Reason</span>
              <span>{order.cancelReason}</span>
            </p>
          ) : null}
          {order.status === 'CANCELLED' ? (
            <p className="summary-row">
              <span>Refund</span>
              <span>{cancellationRefund(order)}</span>
            </p>
          ) : null}
          {order.shipment ? (
            <p className="summary-row">
              <span>Shipped with</span>
              <span>
                {order.shipment.carrier} ·{' '}
                {order.shipment.trackingUrl ? (
                  <a href={order.shipment.trackingUrl} target="_blank" rel="noopener noreferrer">
                    {order.shipment.trackingNumber}
                    <span className="visually-hidden"> (track the package, opens the carrier’s site)</span>
                  </a>
                ) : (
                  order.shipment.trackingNumber
                )}
              </span>
            </p>
          ) : null}
          <p className="summary-row">
            <span>Placed</span>
            <time dateTime={order.createdAt}>{formatDateTime(order.createdAt)}</time>
          </p>
          {sellerLink ? (
            <p className="summary-row">
              <span>Seller</span>
              <Link to={`/sellers/${order.sellerId}`}>View shop</Link>
            </p>
          ) : (
            <p className="summary-row">
              <span>Buyer</span>
              <span>{order.shippingAddress.recipientName || shortId(order.userId)}</span>
            </p>
          )}
        </section>
      </div>
    </div>
  );
}
