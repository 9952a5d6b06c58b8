import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { publicDisplayNames } from '@/identity/display-names';
import { userProfiles } from '@/identity/tables';
import { createDb } from '@/platform/db';
import { createTestUser } from '@test/support/shop-fixtures';

describe('publicDisplayNames', () => {
  it("names each user by first name and last initial, and a user without a profile or first name a 'Verified buyer'", async () => {
    const db = createDb(env);
    const [named, blank, noProfile] = await Promise.all([createTestUser(), createTestUser(), createTestUser()]);
    await db.insert(userProfiles).values([
      { userId: named.id, firstName: ' ada ', lastName: 'lovelace' },
      { userId: blank.id, firstName: '  ', lastName: 'Nobody' },
    ]);
    const names = await publicDisplayNames(db, [named.id, blank.id, noProfile.id, named.id]);
    expect([...names]).toEqual([
      [named.id, 'ada L.'],
      [blank.id, 'Verified buyer'],
      [noProfile.id, 'Verified buyer'],
    ]);
    expect(await publicDisplayNames(db, [])).toEqual(new Map());
  });
});
