import { z } from '@hono/zod-openapi';

const notificationSchema = z
  .object({
    id: z.string(),
    orderId: z.string().nullable(),
    productId: z.number().int().nullable(),
    title: z.string(),
    body: z.string().nullable(),
    isRead: z.boolean(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Notification');

export const notificationListSchema = z
  .object({ unreadCount: z.number().int(), items: z.array(notificationSchema) })
  .openapi('NotificationList');

export const notificationIdParamsSchema = z.object({ id: z.guid().openapi({ param: { name: 'id', in: 'path' } }) });
