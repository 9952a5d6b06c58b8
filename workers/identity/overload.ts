import { AppError } from '@/platform/errors';

/**
 * How many password-hashing requests (login, register, reset) one isolate works on at once. A
 * PBKDF2 check costs ~25 ms of CPU here, so more in flight only lengthens everyone's wait: past
 * this, callers get an immediate 503 `SERVICE_OVERLOADED` with `Retry-After: 1` instead of a
 * queue that grows until every request times out (the seed's login fell to p95 ≈ 60 s at 100/s).
 */
export const MAX_PASSWORD_WORK_IN_FLIGHT = 16;

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
