import { AppError } from '@/platform/errors';

/**
 * How many password-hashing requests (login, register, reset) one isolate works on at once. A
 * PBKDF2 check costs ~20 ms of CPU, so more in flight only lengthens everyone's wait: past
 * this, callers get an immediate 503 `SERVICE_OVERLOADED` with `Retry-After: 1` instead of a
 * queue that grows until every request times out (the seed's login fell to p95 ≈ 60 s at 100/s).
 * A login's latency is about this many logins over the rate the CPU serves (`bench:login`: 16 gave
 * p95 1.5 s at the same rate that 8 serves with p95 0.8 s); 8 still keeps one isolate's CPU busy
 * while each login waits on its three database round trips.
 */
export const MAX_PASSWORD_WORK_IN_FLIGHT = 8;

let inFlight = 0;

/** Throws the 503 while every slot is taken. */
export function refuseWhenPasswordWorkFull(limit = MAX_PASSWORD_WORK_IN_FLIGHT): void {
  if (inFlight >= limit) {
    throw new AppError(503, 'SERVICE_OVERLOADED', 'Too many sign-in requests right now, please retry in a second', undefined, { 'Retry-After': '1' });
  }
}

/** Runs `work` if a slot is free, otherwise refuses at once, before any database or hashing work. */
export async function withPasswordSlot<T>(work: () => Promise<T>, limit = MAX_PASSWORD_WORK_IN_FLIGHT): Promise<T> {
  refuseWhenPasswordWorkFull(limit);
  inFlight++;
  try {
    return await work();
  } finally {
    inFlight--;
  }
}
