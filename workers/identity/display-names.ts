import { inArray } from 'drizzle-orm';

import { userProfiles } from '@/identity/tables';
import type { Queryable } from '@/platform/db';

const ANONYMOUS_AUTHOR = 'Verified buyer';

/** "Ada L.": the first name and the last name's initial; a buyer without a first name is a "Verified buyer". */
function publicDisplayName(firstName: string | null | undefined, lastName: string | null | undefined): string {
  const first = firstName?.trim() ?? '';
  if (!first) return ANONYMOUS_AUTHOR;
  const initial = Array.from(lastName?.trim() ?? '')[0];
  return initial ? `${first} ${initial.toUpperCase()}.` : first;
}

/**
 * The public name of each user id (what a product's reviews show instead of an account id): every id asked for has
 * an entry, a user without a profile or a first name being a "Verified buyer".
 */
export async function publicDisplayNames(q: Queryable, userIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  const rows = ids.length === 0 ? [] : await q.select({ userId: userProfiles.userId, firstName: userProfiles.firstName, lastName: userProfiles.lastName }).from(userProfiles).where(inArray(userProfiles.userId, ids));
  const found = new Map(rows.map((row) => [row.userId, publicDisplayName(row.firstName, row.lastName)]));
  return new Map(ids.map((id) => [id, found.get(id) ?? ANONYMOUS_AUTHOR]));
}
