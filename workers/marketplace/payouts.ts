import { and, count, desc, eq, sql } from 'drizzle-orm';

import { recordAdminAction, type AuditActor } from '@/platform/audit';
import { centsToAmount, formatCents } from '@contract/money';
import { balanceCents } from '@/marketplace/ledger';
import { payouts, sellerLedgerEntries, sellerPayoutAccounts } from '@/marketplace/tables';
import { users } from '@/identity/tables';
import type { Db, DbDeps } from '@/platform/db';
import { AppError, notFound } from '@/platform/errors';
import { describeError, type Logger } from '@/platform/logger';
import { pageMeta, pageOffset } from '@/platform/pagination';

/**
 * Seller payouts (docs/decisions/marketplace.md): an admin pays a seller out of its AVAILABLE earnings through a
 * {@link PayoutProvider} — a simulated one for local runs and tests, and a Stripe Connect transfer adapter shaped
 * like the payment gateway's (workers/payments/gateway.ts).
 */

export interface PayoutRequest {
  /** The payout id: the provider's idempotency key, so a retried transfer never pays twice. */
  payoutId: string;
  sellerId: string;
  amountCents: number;
  currency: string;
}

export type PayoutResult = { outcome: 'paid'; reference: string } | { outcome: 'failed'; reason: string };

export interface PayoutProvider {
  transfer(request: PayoutRequest): Promise<PayoutResult>;
}

/** Timeouts, 5xx, rate limits, network loss: the payout stays PENDING and may be retried. */
class TransientPayoutError extends Error {
  override readonly name = 'TransientPayoutError';
}

/** `simulated` pays every transfer; `simulated-fail` refuses every one (for tests of the reversal). */
export function createSimulatedPayoutProvider(mode: 'success' | 'fail' = 'success'): PayoutProvider {
  return {
    async transfer(request) {
      if (mode === 'fail') return { outcome: 'failed', reason: `simulated provider refused payout ${request.payoutId}` };
      return { outcome: 'paid', reference: `MOCK-PAYOUT-${request.payoutId}` };
    },
  };
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Stripe Connect: a transfer from the platform's balance to the seller's connected account (`POST /v1/transfers`,
 * form-encoded, no SDK), the payout id as `Idempotency-Key` and `transfer_group`. A seller without a connected
 * account, and 4xx answers other than 409/429, are failures (the amount goes back to the seller's balance);
 * 409, 429, 5xx and network errors are transient.
 */
function createStripeConnectPayoutProvider(options: { secretKey: string; destinationFor: (sellerId: string) => Promise<string | null>; fetch?: Fetch; baseUrl?: string }): PayoutProvider {
  const doFetch: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const baseUrl = options.baseUrl ?? 'https://api.stripe.com';
  return {
    async transfer(request) {
      const destination = await options.destinationFor(request.sellerId);
      if (!destination) return { outcome: 'failed', reason: 'the seller has no connected payout account' };
      let res: Response;
      try {
        res = await doFetch(`${baseUrl}/v1/transfers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.secretKey}`, 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': `payout-${request.payoutId}` },
          body: new URLSearchParams({
            amount: String(request.amountCents),
            currency: request.currency.toLowerCase(),
            destination,
            transfer_group: request.payoutId,
            'metadata[payout_id]': request.payoutId,
            'metadata[seller_id]': request.sellerId,
          }).toString(),
        });
      } catch (err) {
        throw new TransientPayoutError(`payout provider unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
      const body = (await res.json().catch(() => ({}))) as { id?: string; error?: { code?: string; message?: string } };
      if (res.status === 200 && body.id) return { outcome: 'paid', reference: body.id };
      if (res.status === 409 || res.status === 429 || res.status >= 500) throw new TransientPayoutError(`payout provider answered ${res.status}`);
      return { outcome: 'failed', reason: `payout refused: ${res.status} ${body.error?.code ?? ''} ${body.error?.message ?? ''}`.trim().slice(0, 255) };
    },
  };
}

/** `PAYOUT_PROVIDER`: `simulated` (default), `simulated-fail`, or `stripe` (needs STRIPE_SECRET_KEY). */
export function payoutProviderFromEnv(env: { PAYOUT_PROVIDER?: string; STRIPE_SECRET_KEY?: string }, db: Db): PayoutProvider {
  const mode = (env.PAYOUT_PROVIDER ?? 'simulated').trim().toLowerCase();
  if (mode === 'simulated') return createSimulatedPayoutProvider('success');
  if (mode === 'simulated-fail') return createSimulatedPayoutProvider('fail');
  if (mode === 'stripe') {
    if (!env.STRIPE_SECRET_KEY) throw new Error('PAYOUT_PROVIDER=stripe needs the STRIPE_SECRET_KEY secret');
    return createStripeConnectPayoutProvider({
      secretKey: env.STRIPE_SECRET_KEY,
      destinationFor: async (sellerId) => (await db.select({ account: sellerPayoutAccounts.stripeAccountId }).from(sellerPayoutAccounts).where(eq(sellerPayoutAccounts.sellerId, sellerId)))[0]?.account ?? null,
    });
  }
  throw new Error(`PAYOUT_PROVIDER must be simulated, simulated-fail or stripe, got "${env.PAYOUT_PROVIDER}"`);
}

export interface PayoutDeps extends DbDeps {
  provider: PayoutProvider;
  logger: Logger;
}

type PayoutRow = typeof payouts.$inferSelect;

function toPayoutResponse(row: PayoutRow) {
  return {
    id: row.id,
    sellerId: row.sellerId,
    amount: centsToAmount(row.amountCents),
    currency: row.currency,
    status: row.status,
    providerReference: row.providerReference,
    failureReason: row.failureReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * An admin pays a seller `amountCents` of its AVAILABLE balance. Under a per-seller lock (so two payouts can never
 * both spend the same balance) the balance is checked (409 `INSUFFICIENT_BALANCE` above it), the payout row and
 * its PAYOUT ledger entry and the audit record commit together; then the provider is asked. Paid → PAID; refused →
 * FAILED and a PAYOUT_REVERSAL gives the amount back; a transient error leaves it PENDING (the money stays
 * reserved for it; the provider's idempotency key makes a retry safe).
 */
export async function createPayout(deps: PayoutDeps, actor: AuditActor, input: { sellerId: string; amountCents: number; currency?: string }, options: { payoutId?: string } = {}) {
  const [seller] = await deps.db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, input.sellerId));
  if (!seller || seller.role !== 'seller') throw notFound('SELLER_NOT_FOUND', 'No seller with this id');
  if (options.payoutId) {
    const [existing] = await deps.db.select().from(payouts).where(eq(payouts.id, options.payoutId));
    if (existing) return toPayoutResponse(existing);
  }
  const payout = await deps.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`payout:${input.sellerId}`}))`);
    const balance = await balanceCents(tx, input.sellerId);
    if (input.amountCents > balance.available) {
      throw new AppError(409, 'INSUFFICIENT_BALANCE', 'A payout may not exceed the seller’s available balance', { amount: `available ${formatCents(Math.max(0, balance.available))}` });
    }
    const [row] = await tx
      .insert(payouts)
      .values({ ...(options.payoutId ? { id: options.payoutId } : {}), sellerId: input.sellerId, amountCents: input.amountCents, currency: input.currency ?? 'USD', requestedBy: actor.id })
      .returning();
    await tx.insert(sellerLedgerEntries).values({ sellerId: input.sellerId, type: 'PAYOUT', payoutId: row!.id, availableDeltaCents: -input.amountCents, currency: row!.currency, memo: 'payout requested' });
    await recordAdminAction(tx, { actor, action: 'payout.created', targetType: 'payout', targetId: row!.id, before: { available: centsToAmount(balance.available) }, after: { sellerId: input.sellerId, amount: centsToAmount(input.amountCents) } });
    return row!;
  });
  return toPayoutResponse(await settlePayout(deps, payout));
}

/** Asks the provider for a PENDING payout and records the answer (idempotent: a decided payout is returned as is). */
async function settlePayout(deps: PayoutDeps, payout: PayoutRow): Promise<PayoutRow> {
  if (payout.status !== 'PENDING') return payout;
  let result: PayoutResult;
  try {
    result = await deps.provider.transfer({ payoutId: payout.id, sellerId: payout.sellerId, amountCents: payout.amountCents, currency: payout.currency });
  } catch (err) {
    deps.logger.warn('payout transfer did not complete; it stays PENDING', { payoutId: payout.id, ...describeError(err) });
    return payout;
  }
  return deps.transaction(async (tx) => {
    const [locked] = await tx.select().from(payouts).where(eq(payouts.id, payout.id)).for('update');
    if (!locked || locked.status !== 'PENDING') return locked ?? payout;
    if (result.outcome === 'paid') {
      const [paid] = await tx.update(payouts).set({ status: 'PAID', providerReference: result.reference.slice(0, 100), updatedAt: new Date() }).where(eq(payouts.id, payout.id)).returning();
      return paid!;
    }
    const [failed] = await tx.update(payouts).set({ status: 'FAILED', failureReason: result.reason.slice(0, 255), updatedAt: new Date() }).where(eq(payouts.id, payout.id)).returning();
    await tx
      .insert(sellerLedgerEntries)
      .values({ sellerId: payout.sellerId, type: 'PAYOUT_REVERSAL', payoutId: payout.id, availableDeltaCents: payout.amountCents, currency: payout.currency, memo: `payout failed: ${result.reason}`.slice(0, 255) })
      .onConflictDoNothing();
    return failed!;
  });
}

export async function listPayouts(db: Db, query: { page: number; size: number; sellerId?: string | undefined }) {
  const where = query.sellerId ? eq(payouts.sellerId, query.sellerId) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(payouts).where(and(where)).orderBy(desc(payouts.createdAt), desc(payouts.id)).limit(query.size).offset(pageOffset(query)),
    db.select({ total: count() }).from(payouts).where(where),
  ]);
  return { data: rows.map(toPayoutResponse), meta: pageMeta(query.page, query.size, total?.total ?? 0) };
}
