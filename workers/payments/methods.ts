import { and, desc, eq } from 'drizzle-orm';

import { paymentCustomers, savedPaymentMethods } from '@/payments/tables';
import type { VaultPort } from '@/payments/vault';
import { newId } from '@/platform/columns';
import type { Db, Tx } from '@/platform/db';
import { notFound } from '@/platform/errors';

/**
 * Saved payment methods (docs/decisions/payments.md): the buyer saves a card on the provider's setup form, the
 * provider's signed `setup_intent.succeeded` webhook records it here, and off-session orders are charged against the
 * default one. Every read and write is scoped to the caller: another buyer's card is 404, like a missing one.
 */
export interface MethodDeps {
  db: Db;
  vault: VaultPort;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export type SavedMethodRow = typeof savedPaymentMethods.$inferSelect;

export function toSavedMethodResponse(row: SavedMethodRow) {
  return { id: row.id, brand: row.brand, last4: row.last4, expMonth: row.expMonth, expYear: row.expYear, isDefault: row.isDefault, createdAt: row.createdAt.toISOString() };
}

const SETUP_RETURN_URL = '/profile';

/** The buyer's customer at the provider, created on first use (a concurrent first use keeps one of the two). */
async function ensureCustomer(deps: MethodDeps, userId: string): Promise<string> {
  const mine = and(eq(paymentCustomers.userId, userId), eq(paymentCustomers.provider, deps.vault.provider));
  const [known] = await deps.db.select().from(paymentCustomers).where(mine);
  if (known) return known.customerId;
  const customer = await deps.vault.createCustomer({ userId });
  await deps.db.insert(paymentCustomers).values({ userId, provider: deps.vault.provider, customerId: customer.id }).onConflictDoNothing();
  const [kept] = await deps.db.select().from(paymentCustomers).where(mine);
  if (!kept) throw new Error(`payment customer of user ${userId} was not visible`);
  return kept.customerId;
}

/**
 * Opens a setup intent for one new card and says where the buyer confirms it: the simulated provider's setup page
 * (`redirect`), or the real provider's script with the client secret (`use_provider_js`).
 */
export async function startCardSetup(deps: MethodDeps, userId: string) {
  const customerId = await ensureCustomer(deps, userId);
  const intent = await deps.vault.createSetupIntent({ customerId, userId, requestId: newId() });
  const query = new URLSearchParams({ client_secret: intent.clientSecret, return_url: SETUP_RETURN_URL });
  const nextAction =
    deps.vault.provider === 'simulated'
      ? { type: 'redirect' as const, url: `/pay/sim/setup/${intent.id}?${query.toString()}`, clientSecret: intent.clientSecret }
      : { type: 'use_provider_js' as const, url: null, clientSecret: intent.clientSecret };
  return { setupIntentId: intent.id, nextAction };
}

const ownedBy = (userId: string, provider: string) => and(eq(savedPaymentMethods.userId, userId), eq(savedPaymentMethods.provider, provider));

/** The buyer's saved cards at the configured provider: the default first, then newest first. */
export async function listSavedMethods(db: Db, provider: string, userId: string): Promise<SavedMethodRow[]> {
  return db.select().from(savedPaymentMethods).where(ownedBy(userId, provider)).orderBy(desc(savedPaymentMethods.isDefault), desc(savedPaymentMethods.createdAt), desc(savedPaymentMethods.id));
}

/** The card an off-session order of this buyer is charged against, if any. */
export async function findDefaultMethod(db: Db, provider: string, userId: string): Promise<SavedMethodRow | undefined> {
  const [row] = await db.select().from(savedPaymentMethods).where(and(ownedBy(userId, provider), eq(savedPaymentMethods.isDefault, true)));
  return row;
}

/** Locks the buyer's own card (404 for another buyer's or a missing one). */
async function lockOwnMethod(tx: Tx, provider: string, userId: string, id: string): Promise<SavedMethodRow> {
  const [row] = await tx.select().from(savedPaymentMethods).where(and(ownedBy(userId, provider), eq(savedPaymentMethods.id, id))).for('update');
  if (!row) throw notFound('PAYMENT_METHOD_NOT_FOUND', 'Payment method not found');
  return row;
}

/** Makes one of the buyer's cards the default (the previous default loses the flag in the same transaction). */
export async function setDefaultMethod(deps: MethodDeps, userId: string, id: string): Promise<SavedMethodRow> {
  const provider = deps.vault.provider;
  return deps.transaction(async (tx) => {
    await lockOwnMethod(tx, provider, userId, id);
    await tx.update(savedPaymentMethods).set({ isDefault: false }).where(and(ownedBy(userId, provider), eq(savedPaymentMethods.isDefault, true)));
    const [updated] = await tx.update(savedPaymentMethods).set({ isDefault: true }).where(eq(savedPaymentMethods.id, id)).returning();
    return updated!;
  });
}

/** Gives the default to the buyer's newest card when none has it. */
async function promoteNewest(tx: Tx, provider: string, userId: string): Promise<void> {
  const [hasDefault] = await tx.select({ id: savedPaymentMethods.id }).from(savedPaymentMethods).where(and(ownedBy(userId, provider), eq(savedPaymentMethods.isDefault, true)));
  if (hasDefault) return;
  const [newest] = await tx.select({ id: savedPaymentMethods.id }).from(savedPaymentMethods).where(ownedBy(userId, provider)).orderBy(desc(savedPaymentMethods.createdAt), desc(savedPaymentMethods.id)).limit(1);
  if (newest) await tx.update(savedPaymentMethods).set({ isDefault: true }).where(eq(savedPaymentMethods.id, newest.id));
}

/**
 * Removes a card: detached at the provider first (so it can never be charged again), then deleted here; removing the
 * default gives the default to the newest remaining card.
 */
export async function removeMethod(deps: MethodDeps, userId: string, id: string): Promise<void> {
  const provider = deps.vault.provider;
  const row = await deps.transaction((tx) => lockOwnMethod(tx, provider, userId, id));
  await deps.vault.detachPaymentMethod(row.providerMethodId);
  await deps.transaction(async (tx) => {
    await tx.delete(savedPaymentMethods).where(eq(savedPaymentMethods.id, row.id));
    await promoteNewest(tx, provider, userId);
  });
}

/** What a confirmed setup intent names: whose customer, which card. */
export interface ConfirmedSetup {
  customerId: string;
  userId: string | undefined;
  paymentMethodId: string;
}

export type SetupOutcome = { outcome: 'applied' | 'stale' } | { refused: string };

/**
 * Records the card of a succeeded setup intent (from its signed webhook). The customer must be ours and the buyer's
 * (`metadata.user_id`), the card still attached to that customer at the provider; a card already recorded, or
 * detached since, is `stale`. The first card of a buyer becomes the default (under the customer row's lock, so two
 * concurrent first cards cannot both take it).
 */
export async function recordConfirmedSetup(deps: MethodDeps, setup: ConfirmedSetup): Promise<SetupOutcome> {
  const provider = deps.vault.provider;
  const [customer] = await deps.db.select().from(paymentCustomers).where(and(eq(paymentCustomers.customerId, setup.customerId), eq(paymentCustomers.provider, provider)));
  if (!customer) return { refused: 'The setup intent belongs to no customer of ours' };
  if (setup.userId !== customer.userId) return { refused: "The setup intent's buyer is not the customer's" };
  const card = await deps.vault.retrievePaymentMethod(setup.paymentMethodId);
  if (!card || card.customerId !== setup.customerId) return { outcome: 'stale' };
  return deps.transaction(async (tx) => {
    await tx.select().from(paymentCustomers).where(and(eq(paymentCustomers.userId, customer.userId), eq(paymentCustomers.provider, provider))).for('update');
    const [hasDefault] = await tx.select({ id: savedPaymentMethods.id }).from(savedPaymentMethods).where(and(ownedBy(customer.userId, provider), eq(savedPaymentMethods.isDefault, true)));
    const inserted = await tx
      .insert(savedPaymentMethods)
      .values({ userId: customer.userId, provider, customerId: setup.customerId, providerMethodId: card.id, brand: card.brand.slice(0, 32), last4: card.last4, expMonth: card.expMonth, expYear: card.expYear, isDefault: !hasDefault })
      .onConflictDoNothing({ target: savedPaymentMethods.providerMethodId })
      .returning({ id: savedPaymentMethods.id });
    return { outcome: inserted.length > 0 ? ('applied' as const) : ('stale' as const) };
  });
}
