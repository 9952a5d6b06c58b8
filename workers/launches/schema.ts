import { z } from '@hono/zod-openapi';

export const putLaunchSchema = z
  .object({
    startsAt: z.iso.datetime({ offset: true }).openapi({ description: 'When admissions start (buyers may join the line before)', example: '2026-12-24T18:00:00Z' }),
    endsAt: z.iso.datetime({ offset: true }).nullish().openapi({ description: 'When the product sells normally again; left out: until the launch is removed' }),
    admitPerSecond: z.number().int().min(1).max(1000).default(5).openapi({ description: 'Buyers admitted per second' }),
    perClientLimit: z.number().int().min(1).max(100).default(4).openapi({ description: 'Live tickets one client address may hold' }),
    maxQuantity: z.number().int().min(1).max(100).default(1).openapi({ description: 'Units one admission may buy' }),
  })
  .strict()
  .refine((launch) => !launch.endsAt || Date.parse(launch.endsAt) > Date.parse(launch.startsAt), { path: ['endsAt'], message: 'Must be after startsAt' })
  .openapi('PutLaunch');

export type PutLaunch = z.infer<typeof putLaunchSchema>;

export const launchSchema = z
  .object({
    id: z.string(),
    productId: z.number().int(),
    startsAt: z.string(),
    endsAt: z.string().nullable(),
    admitPerSecond: z.number().int(),
    perClientLimit: z.number().int(),
    maxQuantity: z.number().int(),
    /** `upcoming` before `startsAt`, `open` after (an ended launch is not shown). */
    status: z.enum(['upcoming', 'open']),
    /** The challenge the join needs: Turnstile's public site key, or null when none is asked. */
    botCheck: z.object({ provider: z.literal('turnstile'), siteKey: z.string() }).nullable(),
  })
  .openapi('Launch');

export type LaunchResponse = z.infer<typeof launchSchema>;

export const joinLineSchema = z
  .object({ turnstileToken: z.string().min(1).max(2048).optional().openapi({ description: 'The Turnstile widget response (when the launch asks for one)' }) })
  .strict()
  .openapi('JoinLine');

export const ticketSchema = z
  .object({
    launchId: z.string(),
    productId: z.number().int(),
    ticketId: z.string(),
    state: z.enum(['waiting', 'admitted', 'used', 'expired']),
    position: z.number().int().nullable().openapi({ description: '1-based place among those waiting; null once admitted' }),
    peopleAhead: z.number().int(),
    estimatedWaitSeconds: z.number().int(),
    startsAt: z.string(),
    joinedAt: z.string(),
    admittedAt: z.string().nullable(),
    /** While admitted: send `token` as the `Admission-Token` header of the order or checkout (single use). */
    admission: z.object({ token: z.string(), expiresAt: z.string(), maxQuantity: z.number().int() }).nullable(),
  })
  .openapi('WaitingRoomTicket');

export type TicketResponse = z.infer<typeof ticketSchema>;

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** `Admission-Token`: one admission per launched product in the order, comma separated. */
export const admissionHeaderSchema = z.object({
  'admission-token': z
    .string()
    .max(8000)
    .transform((value) => value.split(',').map((token) => token.trim()))
    .pipe(z.array(z.string().regex(JWT, 'Not an admission token')).min(1).max(10))
    .optional()
    .openapi({ type: 'string', description: 'Admission-Token: the admission of a launched product (several comma separated), from its waiting room' }),
});
