import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';

import type { WaitingRoomConfig, TicketView } from '@do/waiting-room';
import { lockOwnedProduct, productNotFound } from '@/catalog';
import type { AppEnv, AuthUser } from '@/env';
import { signScopedToken } from '@/identity';
import { botCheckFromEnv } from '@/launches/bot-check';
import type { LaunchResponse, PutLaunch, TicketResponse } from '@/launches/schema';
import { launches, type LaunchRow } from '@/launches/tables';
import { newId } from '@/platform/columns';
import { createDb, withTransaction, type Queryable } from '@/platform/db';
import { AppError, notFound } from '@/platform/errors';

/** `aud` of admission tokens: never an access token, and an access token is never an admission. */
export const ADMISSION_AUDIENCE = 'edge-shop-admission';

export const waitingRoom = (env: AppEnv, launchId: string) => env.WAITING_ROOM_DO.get(env.WAITING_ROOM_DO.idFromName(launchId));

const notEnded = (now: Date) => or(isNull(launches.endsAt), gt(launches.endsAt, now));

/** The launches not yet ended of these products (before `startsAt` too: the product is not sold outside the line). */
export async function activeLaunches(q: Queryable, productIds: number[], now = new Date()): Promise<LaunchRow[]> {
  if (productIds.length === 0) return [];
  return q
    .select()
    .from(launches)
    .where(and(inArray(launches.productId, productIds), notEnded(now)));
}

async function activeLaunch(q: Queryable, productId: number, now = new Date()): Promise<LaunchRow | null> {
  return (await activeLaunches(q, [productId], now))[0] ?? null;
}

const roomConfig = (launch: LaunchRow): WaitingRoomConfig => ({
  productId: launch.productId,
  startsAt: launch.startsAt.getTime(),
  admitPerSecond: launch.admitPerSecond,
  perClientLimit: launch.perClientLimit,
});

/** What the SPA must render for the join: the Turnstile widget's public key, or nothing (read from the vars only: the secret is checked at the join). */
const botCheckView = (env: AppEnv): LaunchResponse['botCheck'] =>
  (env.BOT_CHECK ?? 'off').trim().toLowerCase() === 'turnstile' ? { provider: 'turnstile', siteKey: env.TURNSTILE_SITE_KEY ?? '' } : null;

function toLaunchResponse(launch: LaunchRow, botCheck: LaunchResponse['botCheck'], now = new Date()): LaunchResponse {
  return {
    id: launch.id,
    productId: launch.productId,
    startsAt: launch.startsAt.toISOString(),
    endsAt: launch.endsAt?.toISOString() ?? null,
    admitPerSecond: launch.admitPerSecond,
    perClientLimit: launch.perClientLimit,
    maxQuantity: launch.maxQuantity,
    status: launch.startsAt > now ? 'upcoming' : 'open',
    botCheck,
  };
}

/** `GET /products/{id}/launch`: the product's launch unless it ended, else null. */
export async function getLaunch(env: AppEnv, productId: number): Promise<LaunchResponse | null> {
  const launch = await activeLaunch(createDb(env), productId);
  return launch ? toLaunchResponse(launch, botCheckView(env)) : null;
}

/**
 * Marks a product as a launch, or changes its launch, by the product's seller or an admin. A change keeps the
 * launch's id (and so its line); the waiting room takes the new rate and start at once.
 */
export async function putLaunch(env: AppEnv, user: AuthUser, productId: number, input: PutLaunch): Promise<LaunchResponse> {
  const launch = await withTransaction(env, async (tx) => {
    const product = await lockOwnedProduct(tx, user, productId);
    if (product.status === 'DELETED') throw productNotFound(productId);
    const values = {
      startsAt: new Date(input.startsAt),
      endsAt: input.endsAt ? new Date(input.endsAt) : null,
      admitPerSecond: input.admitPerSecond,
      perClientLimit: input.perClientLimit,
      maxQuantity: input.maxQuantity,
    };
    const [row] = await tx
      .insert(launches)
      .values({ id: newId(), productId, createdBy: user.id, ...values })
      .onConflictDoUpdate({ target: launches.productId, set: { ...values, updatedAt: new Date() } })
      .returning();
    return row!;
  });
  await waitingRoom(env, launch.id).configure(roomConfig(launch));
  return toLaunchResponse(launch, botCheckView(env));
}

/** Ends the launch now (the product sells normally again); 404 when it has none. */
export async function deleteLaunch(env: AppEnv, user: AuthUser, productId: number): Promise<void> {
  await withTransaction(env, async (tx) => {
    await lockOwnedProduct(tx, user, productId);
    const removed = await tx.delete(launches).where(eq(launches.productId, productId)).returning({ id: launches.id });
    if (removed.length === 0) throw notFound('LAUNCH_NOT_FOUND', `Product ${productId} has no launch`);
  });
}

async function toTicketResponse(env: AppEnv, launch: LaunchRow, account: string, view: TicketView): Promise<TicketResponse> {
  const admission = view.admission
    ? {
        token: await signScopedToken(env, ADMISSION_AUDIENCE, account, { pid: launch.productId, lid: launch.id, tid: view.ticketId }, view.admission),
        expiresAt: new Date(view.admission.expiresAt).toISOString(),
        maxQuantity: launch.maxQuantity,
      }
    : null;
  return {
    launchId: launch.id,
    productId: launch.productId,
    ticketId: view.ticketId,
    state: view.state,
    position: view.position,
    peopleAhead: view.peopleAhead,
    estimatedWaitSeconds: view.estimatedWaitSeconds,
    startsAt: launch.startsAt.toISOString(),
    joinedAt: new Date(view.joinedAt).toISOString(),
    admittedAt: view.admittedAt === null ? null : new Date(view.admittedAt).toISOString(),
    admission,
  };
}

const noLaunch = (productId: number) => notFound('LAUNCH_NOT_FOUND', `Product ${productId} has no launch under way`);

/**
 * Joins the product's line (or answers the ticket the account already holds): the bot check first, then the
 * waiting room decides the place and the per-client limit (429 `TOO_MANY_TICKETS`).
 */
export async function joinLine(env: AppEnv, user: AuthUser, productId: number, client: { key: string; ip: string }, turnstileToken: string | undefined): Promise<{ ticket: TicketResponse; created: boolean }> {
  const launch = await activeLaunch(createDb(env), productId);
  if (!launch) throw noLaunch(productId);
  if (!(await botCheckFromEnv(env).verify(turnstileToken, client.ip))) throw new AppError(403, 'BOT_CHECK_FAILED', 'The browser check did not pass; please try again');
  const result = await waitingRoom(env, launch.id).join(roomConfig(launch), user.id, client.key);
  if (!result.ok) {
    throw new AppError(429, 'TOO_MANY_TICKETS', `This network already holds ${launch.perClientLimit} places in this line`, undefined, { 'Retry-After': '60' });
  }
  return { ticket: await toTicketResponse(env, launch, user.id, result.ticket), created: result.created };
}

/**
 * Launch rows the ticket polls read, per isolate for {@link POLL_CACHE_MS}: a line of N buyers polling every 2 s
 * would otherwise be N/2 database reads a second for a row that rarely changes. Only the view uses it; joins and
 * the checkout's admission check read the database.
 */
const pollCache = new Map<number, { until: number; launch: Promise<LaunchRow | null> }>();
const POLL_CACHE_MS = 1000;

function polledLaunch(env: AppEnv, productId: number): Promise<LaunchRow | null> {
  const now = Date.now();
  const cached = pollCache.get(productId);
  if (cached && cached.until > now) return cached.launch;
  if (pollCache.size > 1000) pollCache.clear();
  const launch = activeLaunch(createDb(env), productId);
  pollCache.set(productId, { until: now + POLL_CACHE_MS, launch });
  launch.catch(() => pollCache.delete(productId));
  return launch;
}

/** The caller's place in the product's line (404 `TICKET_NOT_FOUND` before joining). */
export async function getTicket(env: AppEnv, user: AuthUser, productId: number): Promise<TicketResponse> {
  const launch = await polledLaunch(env, productId);
  if (!launch) throw noLaunch(productId);
  const view = await waitingRoom(env, launch.id).status(user.id);
  if (!view) throw notFound('TICKET_NOT_FOUND', 'You have no place in this line yet');
  return toTicketResponse(env, launch, user.id, view);
}
