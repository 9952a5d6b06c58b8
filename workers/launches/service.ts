import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';

import type { WaitingRoomConfig, TicketView } from '@do/waiting-room';
import { lockOwnedProduct, productNotFound } from '@/catalog';
import type { AppEnv, AuthUser } from '@/env';
import type { TurnstileVerifier } from '@/launches/bot-check';
import type { LaunchResponse, PutLaunch, TicketResponse } from '@/launches/schema';
import { launches, type LaunchRow } from '@/launches/tables';
import { newId } from '@/platform/columns';
import type { Db, Queryable, Tx } from '@/platform/db';
import { AppError, notFound } from '@/platform/errors';

/** `aud` of admission tokens: never an access token, and an access token is never an admission. */
export const ADMISSION_AUDIENCE = 'edge-shop-admission';

/** One launch's WaitingRoomDO (its RPC stub). */
export type WaitingRoomStub = ReturnType<AppEnv['WAITING_ROOM_DO']['get']>;

/** Admission tokens: JWTs of the shop's signing key with the {@link ADMISSION_AUDIENCE} audience (identity's scoped tokens). */
export interface AdmissionTokens {
  sign(account: string, claims: Record<string, unknown>, options: { jti: string; expiresAt: number }): Promise<string>;
  /** The token's claims, or null when it is not a valid admission. */
  verify(token: string): Promise<Record<string, unknown> | null>;
}

/** What checkout needs of launches to admit a buyer: the waiting rooms and the admission tokens. */
export interface AdmissionDeps {
  waitingRoom(launchId: string): WaitingRoomStub;
  admissionTokens: AdmissionTokens;
}

/** The collaborators of the launch routes, built by the composition root (`launchDepsFromEnv`). */
export interface LaunchDeps extends AdmissionDeps {
  db: Db;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** The configured browser check, built when a join needs it (a misconfigured one refuses joins, not reads). */
  botCheck(): TurnstileVerifier;
  /** What the SPA must render for the join: the Turnstile widget's public key, or nothing. */
  botCheckView: LaunchResponse['botCheck'];
}

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
export async function getLaunch(deps: LaunchDeps, productId: number): Promise<LaunchResponse | null> {
  const launch = await activeLaunch(deps.db, productId);
  return launch ? toLaunchResponse(launch, deps.botCheckView) : null;
}

/**
 * Marks a product as a launch, or changes its launch, by the product's seller or an admin. A change keeps the
 * launch's id (and so its line); the waiting room takes the new rate and start at once.
 */
export async function putLaunch(deps: LaunchDeps, user: AuthUser, productId: number, input: PutLaunch): Promise<LaunchResponse> {
  const launch = await deps.transaction(async (tx) => {
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
  await deps.waitingRoom(launch.id).configure(roomConfig(launch));
  return toLaunchResponse(launch, deps.botCheckView);
}

/** Ends the launch now (the product sells normally again); 404 when it has none. */
export async function deleteLaunch(deps: LaunchDeps, user: AuthUser, productId: number): Promise<void> {
  await deps.transaction(async (tx) => {
    await lockOwnedProduct(tx, user, productId);
    const removed = await tx.delete(launches).where(eq(launches.productId, productId)).returning({ id: launches.id });
    if (removed.length === 0) throw notFound('LAUNCH_NOT_FOUND', `Product ${productId} has no launch`);
  });
}

async function toTicketResponse(deps: LaunchDeps, launch: LaunchRow, account: string, view: TicketView): Promise<TicketResponse> {
  const admission = view.admission
    ? {
        token: await deps.admissionTokens.sign(account, { pid: launch.productId, lid: launch.id, tid: view.ticketId }, view.admission),
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
export async function joinLine(deps: LaunchDeps, user: AuthUser, productId: number, client: { key: string; ip: string }, turnstileToken: string | undefined): Promise<{ ticket: TicketResponse; created: boolean }> {
  const launch = await activeLaunch(deps.db, productId);
  if (!launch) throw noLaunch(productId);
  if (!(await deps.botCheck().verify(turnstileToken, client.ip))) throw new AppError(403, 'BOT_CHECK_FAILED', 'The browser check did not pass; please try again');
  const result = await deps.waitingRoom(launch.id).join(roomConfig(launch), user.id, client.key);
  if (!result.ok) {
    throw new AppError(429, 'TOO_MANY_TICKETS', `This network already holds ${launch.perClientLimit} places in this line`, undefined, { 'Retry-After': '60' });
  }
  return { ticket: await toTicketResponse(deps, launch, user.id, result.ticket), created: result.created };
}

/**
 * Launch rows the ticket polls read, per isolate for {@link POLL_CACHE_MS}: a line of N buyers polling every 2 s
 * would otherwise be N/2 database reads a second for a row that rarely changes. Only the view uses it; joins and
 * the checkout's admission check read the database.
 */
const pollCache = new Map<number, { until: number; launch: Promise<LaunchRow | null> }>();
const POLL_CACHE_MS = 1000;

function polledLaunch(db: Queryable, productId: number): Promise<LaunchRow | null> {
  const now = Date.now();
  const cached = pollCache.get(productId);
  if (cached && cached.until > now) return cached.launch;
  if (pollCache.size > 1000) pollCache.clear();
  const launch = activeLaunch(db, productId);
  pollCache.set(productId, { until: now + POLL_CACHE_MS, launch });
  launch.catch(() => pollCache.delete(productId));
  return launch;
}

/** The caller's place in the product's line (404 `TICKET_NOT_FOUND` before joining). */
export async function getTicket(deps: LaunchDeps, user: AuthUser, productId: number): Promise<TicketResponse> {
  const launch = await polledLaunch(deps.db, productId);
  if (!launch) throw noLaunch(productId);
  const view = await deps.waitingRoom(launch.id).status(user.id);
  if (!view) throw notFound('TICKET_NOT_FOUND', 'You have no place in this line yet');
  return toTicketResponse(deps, launch, user.id, view);
}
