import { asc, eq, ilike, like, or, sql } from 'drizzle-orm';

import type { Category, CreateCategory } from '@/catalog/schema';
import { categories } from '@/catalog/tables';
import type { Db, Queryable } from '@/platform/db';
import { badRequest, notFound } from '@/platform/errors';
import { bumpCatalogGeneration } from '@/catalog/generation';

const SLUG_MAX = 100;
/** Room left for a `-NN` collision suffix inside the 100-character column. */
const SLUG_BASE_MAX = SLUG_MAX - 6;
const INSERT_ATTEMPTS = 5;

/** Latin letters that NFKD does not decompose into a base letter + accent. */
const LETTER_FOLDS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ł: 'l', þ: 'th' };

const categoryColumns = {
  id: categories.id,
  name: categories.name,
  slug: categories.slug,
  parentId: categories.parentId,
  sortOrder: categories.sortOrder,
};

/**
 * Kebab-case slug: accents stripped (`Café Déjà` → `cafe-deja`), anything not a letter or digit
 * becomes a dash (`Home & Kitchen` → `home-kitchen`, as the seed's slugs). A name with no Latin
 * letter or digit falls back to `category`.
 */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđłþ]/g, (char) => LETTER_FOLDS[char] ?? char)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_BASE_MAX)
    .replace(/-+$/, '');
  return slug || 'category';
}

/** The base slug if free, else the lowest free `base-N` (N ≥ 2). */
export function nextFreeSlug(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (char) => `\\${char}`);

/** All categories, or those whose name contains `q` (case-insensitive), in display order. */
export async function listCategories(db: Db, q?: string): Promise<Category[]> {
  return db
    .select(categoryColumns)
    .from(categories)
    .where(q ? ilike(categories.name, `%${escapeLike(q)}%`) : undefined)
    .orderBy(asc(categories.sortOrder), asc(categories.id));
}

/** One category by slug (the SPA's `/categories/:slug`); an all-digit value also matches a numeric id. */
export async function getCategoryBySlug(db: Db, slug: string): Promise<Category> {
  const byId = /^\d{1,15}$/.test(slug) ? eq(categories.id, Number(slug)) : undefined;
  const rows = await db
    .select(categoryColumns)
    .from(categories)
    .where(byId ? or(eq(categories.slug, slug), byId) : eq(categories.slug, slug));
  const found = rows.find((row) => row.slug === slug) ?? rows[0];
  if (!found) throw notFound('CATEGORY_NOT_FOUND', `Category ${slug} was not found`);
  return found;
}

/** Throws 400 unless the category exists (an unknown id is never silently stored as "no category"). */
export async function assertCategoryExists(q: Queryable, categoryId: number): Promise<void> {
  const [row] = await q.select({ id: categories.id }).from(categories).where(eq(categories.id, categoryId));
  if (!row) throw badRequest('VALIDATION_ERROR', 'Request validation failed', { categoryId: `Category ${categoryId} does not exist` });
}

/**
 * Creates a category with a unique slug. The parent must be a root, keeping the tree two levels
 * deep. Two concurrent creations of the same name race on the unique slug index; the loser picks
 * the next suffix and tries again.
 */
export async function createCategory(q: Queryable, input: CreateCategory): Promise<Category> {
  // Both clients build the same queries; the union only confuses `returning`'s overloads.
  const db = q as Db;
  const parentId = input.parentId ?? null;
  if (parentId !== null) {
    const [parent] = await db.select({ id: categories.id, parentId: categories.parentId }).from(categories).where(eq(categories.id, parentId));
    if (!parent) throw badRequest('VALIDATION_ERROR', 'Request validation failed', { parentId: `Category ${parentId} does not exist` });
    if (parent.parentId !== null) throw badRequest('VALIDATION_ERROR', 'Request validation failed', { parentId: 'must be a root category (the tree has two levels)' });
  }
  const base = slugify(input.name);
  for (let attempt = 0; attempt < INSERT_ATTEMPTS; attempt++) {
    const taken = await db
      .select({ slug: categories.slug })
      .from(categories)
      .where(or(eq(categories.slug, base), like(categories.slug, `${escapeLike(base)}-%`)));
    const slug = nextFreeSlug(
      base,
      taken.map((row) => row.slug),
    );
    const [created] = await db
      .insert(categories)
      .values({
        name: input.name,
        slug,
        parentId,
        sortOrder: sql`(select coalesce(max(${categories.sortOrder}), 0) + 1 from ${categories})`,
      })
      .onConflictDoNothing({ target: categories.slug })
      .returning(categoryColumns);
    if (created) {
      await bumpCatalogGeneration();
      return created;
    }
  }
  throw new Error(`could not find a free slug for ${base}`);
}

/** Ids of a category and its children: browsing a root shows its whole subtree. */
export const categoryWithChildren = (categoryId: number) =>
  sql`(select ${categories.id} from ${categories} where ${or(eq(categories.id, categoryId), eq(categories.parentId, categoryId))})`;
