import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';

import { getNotificationsQueryOptions } from '@/features/notifications/api/get-notifications';
import { applyNotificationLiveEvent } from '@/features/notifications/api/live-events';
import { getOrderPaymentQueryOptions } from '@/features/orders/api/get-order-payment';
import { applyOrderLiveEvent } from '@/features/orders/api/live-events';
import { reconnectDelay } from '@/lib/live';
import type { NotificationFeed, Payment } from '@/types/api';

const payment = (status: Payment['status'], orderId: string = crypto.randomUUID()): Payment =>
  ({ id: 'p1', orderId, userId: 'u1', amount: 10, currency: 'USD', status, method: 'MOCK_CARD', gatewayReference: null, failureReason: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }) as Payment;

describe('reconnectDelay', () => {
  it('doubles from 1 s up to 30 s, jittered between half and all of the step', () => {
    expect(reconnectDelay(0, () => 0)).toBe(500);
    expect(reconnectDelay(0, () => 1)).toBe(1_000);
    expect(reconnectDelay(3, () => 0.5)).toBe(6_000);
    expect(reconnectDelay(50, () => 1)).toBe(30_000);
    expect(reconnectDelay(50, () => 0)).toBe(15_000);
  });
});

describe('live events → query cache', () => {
  it('writes a settled payment into the confirmation page cache and ignores an older or repeated version', async () => {
    const client = new QueryClient();
    const completed = payment('COMPLETED');
    const { queryKey } = getOrderPaymentQueryOptions(completed.orderId!);
    client.setQueryData(queryKey, null);
    await applyOrderLiveEvent(client, { id: 'payment:p1:2', type: 'payment.updated', version: 2, data: { ...completed, version: 2 } });
    expect(client.getQueryData(queryKey)).toEqual(completed);
    await applyOrderLiveEvent(client, { id: 'payment:p1:1', type: 'payment.updated', version: 1, data: { ...payment('PENDING', completed.orderId!), version: 1 } });
    expect(client.getQueryData(queryKey)?.status).toBe('COMPLETED');
  });

  it("a checkout's payment (no single order) refetches the payments on screen, which are read through its orders", async () => {
    const client = new QueryClient();
    const { queryKey } = getOrderPaymentQueryOptions(crypto.randomUUID());
    client.setQueryData(queryKey, payment('PENDING'));
    const checkoutPayment = { ...payment('PENDING'), id: 'p2', orderId: null, version: 2 };
    await applyOrderLiveEvent(client, { id: 'payment:p2:2', type: 'payment.updated', version: 2, data: checkoutPayment });
    expect(client.getQueryState(queryKey)?.isInvalidated).toBe(true);
  });

  it('puts a new notification on top of the bell with the server\'s unread count, once', () => {
    const client = new QueryClient();
    const { queryKey } = getNotificationsQueryOptions();
    const old = { id: 'n0', orderId: null, productId: 1, title: 'old', body: null, isRead: true, createdAt: '2026-01-01T00:00:00.000Z' };
    client.setQueryData<NotificationFeed>(queryKey, { unreadCount: 0, items: [old] });
    const fresh = { ...old, id: 'n1', title: 'New order', isRead: false };
    const event = { id: 'notification:n1', type: 'notification.created', version: 2, data: { notification: fresh, unreadCount: 1 } };
    applyNotificationLiveEvent(client, event);
    applyNotificationLiveEvent(client, event);
    expect(client.getQueryData(queryKey)).toEqual({ unreadCount: 1, items: [fresh, old] });
  });
});
