import { z } from 'zod';

import { activeLaunches, type AdmissionDeps, type AdmissionTokens } from '@/launches/service';
import type { LaunchRow } from '@/launches/tables';
import type { Queryable } from '@/platform/db';
import { AppError } from '@/platform/errors';

/**
 * What checkout does with the admissions of launched products (docs/decisions/flash-sales.md, "Waiting room"):
 * `claim` marks each one used by the order just before its stock is reserved; `restore` gives them back when the
 * order then fails for a reason other than stock. A stock shortage keeps them used: the launch sold out for
 * this buyer, the ticket is done.
 */
export interface AdmissionGate {
  claim(orderId: string): Promise<void>;
  restore(orderId: string): Promise<void>;
}

const claimsSchema = z.object({ sub: z.string(), jti: z.string(), pid: z.number().int(), lid: z.string() });

type Admission = z.infer<typeof claimsSchema>;

const required = (launch: LaunchRow, message = `Product ${launch.productId} is launching: join its line first`) =>
  new AppError(403, 'ADMISSION_REQUIRED', message, { [`product.${launch.productId}`]: 'needs an admission from the waiting room' });

const CONSUME_ERRORS = {
  UNKNOWN: (launch: LaunchRow) => required(launch, `This admission for product ${launch.productId} is not valid`),
  WRONG_ACCOUNT: (launch: LaunchRow) => new AppError(403, 'ADMISSION_WRONG_ACCOUNT', `This admission for product ${launch.productId} belongs to another account`),
  EXPIRED: (launch: LaunchRow) => new AppError(403, 'ADMISSION_EXPIRED', `Your admission for product ${launch.productId} expired: join the line again`),
  USED: (launch: LaunchRow) => new AppError(409, 'ADMISSION_USED', `Your admission for product ${launch.productId} was already used`),
} as const;

async function readAdmissions(admissionTokens: AdmissionTokens, tokens: readonly string[]): Promise<Admission[]> {
  const verified = await Promise.all(tokens.map((token) => admissionTokens.verify(token)));
  return verified.flatMap((payload) => {
    const parsed = claimsSchema.safeParse(payload);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * The gate an order or checkout of these lines must pass, or undefined when none of its products is launching. Refuses
 * at once (nothing reserved, nothing used): a launched product without a valid admission (403
 * `ADMISSION_REQUIRED`), an admission of another account (403 `ADMISSION_WRONG_ACCOUNT`) and more units than one
 * admission buys (422 `ADMISSION_QUANTITY_EXCEEDED`).
 */
export async function admissionGate(
  deps: AdmissionDeps,
  db: Queryable,
  buyerId: string,
  lines: readonly { productId: number; quantity: number }[],
  tokens: readonly string[] | undefined,
): Promise<AdmissionGate | undefined> {
  const launched = await activeLaunches(db, [...new Set(lines.map((line) => line.productId))]);
  if (launched.length === 0) return undefined;
  const admissions = await readAdmissions(deps.admissionTokens, tokens ?? []);
  const claims = launched.map((launch) => {
    const matching = admissions.filter((admission) => admission.lid === launch.id && admission.pid === launch.productId);
    const own = matching.find((admission) => admission.sub === buyerId);
    if (!own) throw matching.length > 0 ? CONSUME_ERRORS.WRONG_ACCOUNT(launch) : required(launch);
    const quantity = lines.filter((line) => line.productId === launch.productId).reduce((sum, line) => sum + line.quantity, 0);
    if (quantity > launch.maxQuantity) {
      throw new AppError(422, 'ADMISSION_QUANTITY_EXCEEDED', `One admission buys at most ${launch.maxQuantity} of product ${launch.productId}`, { [`product.${launch.productId}`]: `at most ${launch.maxQuantity}` });
    }
    return { launch, jti: own.jti };
  });
  const restoreAll = async (orderId: string, which = claims) => {
    await Promise.all(which.map(({ launch, jti }) => deps.waitingRoom(launch.id).restore(jti, orderId)));
  };
  return {
    async claim(orderId) {
      const taken: typeof claims = [];
      for (const claim of claims) {
        const result = await deps.waitingRoom(claim.launch.id).consume(claim.jti, buyerId, orderId);
        if (!result.ok) {
          await restoreAll(orderId, taken);
          throw CONSUME_ERRORS[result.reason](claim.launch);
        }
        taken.push(claim);
      }
    },
    restore: (orderId) => restoreAll(orderId),
  };
}

/**
 * Runs the stock step of an order under its admissions: claims them first, and gives them back if the step fails
 * for any reason but a stock shortage.
 */
export async function reserveAdmitted<T>(gate: AdmissionGate | undefined, orderId: string, reserve: () => Promise<T>): Promise<T> {
  await gate?.claim(orderId);
  try {
    return await reserve();
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'INSUFFICIENT_STOCK')) await gate?.restore(orderId);
    throw err;
  }
}
