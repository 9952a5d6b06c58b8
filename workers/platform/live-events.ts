import type { AppEnv } from '@/env';
import { runInBackground } from '@/platform/background';
import { afterCommit, type Queryable } from '@/platform/db';

/**
 * The live-updates port (docs/decisions/live.md): domains hand over ready-made events for the users they concern;
 * the live domain's LiveDO (one per user, the `LIVE_DO` binding) sends them to that user's open sockets. Nothing
 * here reads the database: the code that made a change knows everything its event says.
 */

/** A server → client event. `id` is unique per event and change; `version` grows with each change of the resource. */
export interface LiveEvent {
  id: string;
  type: 'order.updated' | 'payment.updated' | 'notification.created' | 'waiting-room.admitted';
  version: number;
  data: unknown;
}

/** One event for one user. */
export interface LiveDelivery {
  userId: string;
  event: LiveEvent;
}

const liveObject = (env: AppEnv, userId: string) => env.LIVE_DO.get(env.LIVE_DO.idFromName(userId));

/**
 * Sends the events to their users' sockets, every user at once, in the background: it returns at once and never
 * fails the caller. A user with no socket costs one call that sends nothing. Events of one user keep their order;
 * an event id given twice for one user is sent once.
 */
export function publishLiveEvents(env: AppEnv, deliveries: readonly LiveDelivery[]): void {
  const byUser = new Map<string, Map<string, LiveEvent>>();
  for (const { userId, event } of deliveries) {
    const events = byUser.get(userId) ?? new Map<string, LiveEvent>();
    if (!events.has(event.id)) events.set(event.id, event);
    byUser.set(userId, events);
  }
  if (byUser.size === 0) return;
  runInBackground(env, 'live publish', () => Promise.all([...byUser].map(([userId, events]) => liveObject(env, userId).publish([...events.values()]))));
}

const pending = new WeakMap<object, LiveDelivery[]>();

/**
 * Publishes the events once the transaction `q` has committed (never after a rollback); on a plain client, whose
 * writes commit statement by statement, at once. All the events of one transaction go out together.
 */
export function publishLiveAfterCommit(q: Queryable, deliveries: readonly LiveDelivery[]): void {
  const batch = pending.get(q);
  if (batch) {
    batch.push(...deliveries);
    return;
  }
  const fresh = [...deliveries];
  pending.set(q, fresh);
  afterCommit(q, (env) => {
    pending.delete(q);
    publishLiveEvents(env, fresh);
  });
}

/**
 * Closes the user's sockets of sessions that ended (logout, password reset, role change, deletion): call it after
 * the session version was bumped, with the user's current version (null: the user is gone, close every socket).
 * Sockets opened with that version or a newer one stay, so a login racing the logout keeps its socket.
 */
export function endLiveSessions(env: AppEnv, userId: string, currentVersion: number | null): void {
  runInBackground(env, 'live end sessions', () => liveObject(env, userId).endSessions(currentVersion));
}
