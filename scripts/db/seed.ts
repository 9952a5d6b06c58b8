import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';

import { categories, productImages, products } from '../../workers/catalog/tables.ts';
import { hashPassword } from '../../workers/identity/password.ts';
import { sellerProfiles, userProfiles, users } from '../../workers/identity/tables.ts';
import type { Embedder } from '../../workers/search/embedder.ts';
import { embedProducts } from '../../workers/search/embedding-store.ts';
import { createLocalEmbedder } from '../../workers/search/local-embedder.ts';
import { paymentCustomers, savedPaymentMethods, simulatedPaymentMethods } from '../../workers/payments/tables.ts';
import { promotions } from '../../workers/promotions/tables.ts';
import { taxRates } from '../../workers/tax/tables.ts';
import { CATEGORIES, PRODUCTS, SAMPLE_PROMOTIONS, SAMPLE_SAVED_CARDS, SAMPLE_TAX_RATES, SAMPLE_USERS, SELLER_PROFILES } from './seed-data.ts';

export interface SeedResult {
  users: number;
  categories: number;
  products: number;
  /** Products given a vector by the embedder (those ACTIVE without one from its model). */
  embedded: number;
}

type SeedTx = Parameters<Parameters<ReturnType<typeof drizzle>['transaction']>[0]>[0];

/**
 * The sample customers' saved test cards, on the simulated provider's side and ours — only for customers created by
 * this run, so a card the developer removed stays removed.
 */
async function seedSavedCards(tx: SeedTx, newUserIds: string[]) {
  const cards = SAMPLE_SAVED_CARDS.filter((card) => newUserIds.includes(card.userId));
  if (cards.length === 0) return;
  const expYear = new Date().getUTCFullYear() + 3;
  await tx.insert(paymentCustomers).values(cards.map((card) => ({ userId: card.userId, provider: 'simulated', customerId: card.customerId }))).onConflictDoNothing();
  await tx
    .insert(simulatedPaymentMethods)
    .values(cards.map((card) => ({ id: card.paymentMethodId, customerId: card.customerId, brand: 'visa', last4: card.last4, expMonth: 12, expYear, behaviour: 'succeed' })))
    .onConflictDoNothing();
  await tx
    .insert(savedPaymentMethods)
    .values(cards.map((card) => ({ userId: card.userId, provider: 'simulated', customerId: card.customerId, providerMethodId: card.paymentMethodId, brand: 'visa', last4: card.last4, expMonth: 12, expYear, isDefault: true })))
    .onConflictDoNothing();
}

/**
 * Inserts the sample users and catalog. Idempotent: rows that exist are left alone, so a second
 * `npm start` keeps whatever the developer changed. Identity sequences are moved past the fixed ids.
 * Then every ACTIVE product without a vector from `embedder`'s model gets one (re-embedding those from
 * another model), so search works right away. Default: the hashing embedder the tests use; `npm start`
 * passes the MiniLM service's.
 */
export async function seedDatabase(connectionString: string, options: { embedder?: Embedder } = {}): Promise<SeedResult> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  await client.connect();
  const db = drizzle({ client, casing: 'snake_case' });
  try {
    const seeded = await db.transaction(async (tx) => {
      const existing = new Set((await tx.select({ email: users.email }).from(users)).map((row) => row.email.toLowerCase()));
      const newUsers = SAMPLE_USERS.filter((user) => !existing.has(user.email));
      for (const user of newUsers) {
        await tx
          .insert(users)
          .values({ id: user.id, email: user.email, passwordHash: await hashPassword(user.password), role: user.role, isVerified: true, verifiedAt: new Date() })
          .onConflictDoNothing();
        await tx.insert(userProfiles).values({ userId: user.id, firstName: user.firstName, lastName: user.lastName }).onConflictDoNothing();
      }
      await tx.insert(sellerProfiles).values(SELLER_PROFILES).onConflictDoNothing();
      await tx.insert(categories).values(CATEGORIES.map((category) => ({ ...category, sortOrder: category.id }))).onConflictDoNothing();
      const inserted = await tx
        .insert(products)
        .values(PRODUCTS.map(({ images: _images, ...product }) => ({ ...product, status: 'ACTIVE' as const })))
        .onConflictDoNothing()
        .returning({ id: products.id });
      const insertedIds = new Set(inserted.map((row) => row.id));
      const images = PRODUCTS.filter((product) => insertedIds.has(product.id)).flatMap((product) =>
        product.images.map((image) => ({ ...image, productId: product.id })),
      );
      if (images.length > 0) await tx.insert(productImages).values(images);
      await tx.insert(promotions).values(SAMPLE_PROMOTIONS).onConflictDoNothing();
      await tx.insert(taxRates).values(SAMPLE_TAX_RATES).onConflictDoNothing();
      await seedSavedCards(tx, newUsers.map((user) => user.id));
      for (const table of ['categories', 'products', 'product_images']) {
        await tx.execute(sql.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), greatest((select max(id) from ${table}), 1))`));
      }
      return { users: newUsers.length, categories: CATEGORIES.length, products: inserted.length };
    });
    const { embedded } = await embedProducts(db, options.embedder ?? createLocalEmbedder());
    return { ...seeded, embedded: embedded.length };
  } finally {
    await client.end().catch(() => undefined);
  }
}
