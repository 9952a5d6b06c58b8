import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { createTestApp } from '@/app';
import { createNotificationsRouter } from '@/notifications/routes';
import { dbDepsFromEnv } from '@/composition';
import { createNotification } from '@/notifications/service';
import { createDb } from '@/platform/db';
import { newId } from '@/platform/columns';
import { createTestUser } from '@test/support/shop-fixtures';

const app = createTestApp(createNotificationsRouter(dbDepsFromEnv));
type ListBody = { data: { unreadCount: number; items: { id: string; orderId: string | null; isRead: boolean; title: string }[] } };

async function seedNotices(userId: string, n: number) {
  const db = createDb(env);
  for (let i = 0; i < n; i++) await createNotification(db, { userId, type: 'TEST', title: `Notice ${i}`, orderId: newId() });
}

describe('notifications API', () => {
  it('lists the 20 newest with the unread count, only for the caller', async () => {
    const [me, other] = await Promise.all([createTestUser(), createTestUser()]);
    await seedNotices(me.id, 22);
    await seedNotices(other.id, 1);
    const res = await app.request('/api/v1/orders/notifications', { headers: me.auth }, env);
    expect(res.status).toBe(200);
    const { data } = await res.json<ListBody>();
    expect(data.unreadCount).toBe(22);
    expect(data.items).toHaveLength(20);
    expect(data.items[0]!.title).toBe('Notice 21');
    expect(Object.keys(data.items[0]!).sort()).toEqual(['body', 'createdAt', 'id', 'isRead', 'orderId', 'productId', 'title']);
  });

  it('marks one read for the recipient and answers 404 to anyone else', async () => {
    const [me, other] = await Promise.all([createTestUser(), createTestUser()]);
    await seedNotices(me.id, 2);
    const list = await (await app.request('/api/v1/orders/notifications', { headers: me.auth }, env)).json<ListBody>();
    const id = list.data.items[0]!.id;

    const foreign = await app.request(`/api/v1/orders/notifications/${id}/read`, { method: 'PUT', headers: other.auth }, env);
    expect(foreign.status).toBe(404);
    const after = await (await app.request('/api/v1/orders/notifications', { headers: me.auth }, env)).json<ListBody>();
    expect(after.data.unreadCount).toBe(2);

    const mine = await app.request(`/api/v1/orders/notifications/${id}/read`, { method: 'PUT', headers: me.auth }, env);
    expect(mine.status).toBe(200);
    expect(await mine.json()).toEqual({ success: true, data: null });
    const final = await (await app.request('/api/v1/orders/notifications', { headers: me.auth }, env)).json<ListBody>();
    expect(final.data.unreadCount).toBe(1);
    expect(final.data.items.find((n) => n.id === id)?.isRead).toBe(true);
  });

  it('marks all read and rejects anonymous callers and bad ids', async () => {
    const me = await createTestUser('seller');
    await seedNotices(me.id, 3);
    const res = await app.request('/api/v1/orders/notifications/mark-read', { method: 'PUT', headers: me.auth }, env);
    expect(res.status).toBe(200);
    expect((await res.json<{ data: unknown }>()).data).toBeNull();
    expect((await (await app.request('/api/v1/orders/notifications', { headers: me.auth }, env)).json<ListBody>()).data.unreadCount).toBe(0);
    expect((await app.request('/api/v1/orders/notifications', {}, env)).status).toBe(401);
    expect((await app.request('/api/v1/orders/notifications/not-a-uuid/read', { method: 'PUT', headers: me.auth }, env)).status).toBe(400);
  });
});
