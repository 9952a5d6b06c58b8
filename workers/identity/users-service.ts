import { and, desc, eq, isNull, ne, sql, type SQL } from 'drizzle-orm';

import { recordAdminAction, type AuditActor } from '@/platform/audit';
import type { AppEnv } from '@/env';
import type { Address, AddressInput, Profile, SellerCard, UpdateProfileInput, UserSummary } from '@/identity/schema';
import { revokeAllRefreshTokens } from '@/identity/sessions';
import { sellerProfiles, userAddresses, userProfiles, users, type UserRole } from '@/identity/tables';
import { type Db, isUniqueViolation, type Tx } from '@/platform/db';
import { conflict, notFound } from '@/platform/errors';

export const MAX_ADDRESSES_PER_USER = 20;

/** The collaborators of profiles, addresses and user records, built by the composition root (`usersDepsFromEnv`). */
export interface UsersDeps {
  db: Db;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Closes the user's live sockets once their sessions ended (the kernel's live port), after the response. */
  endLiveSessions(userId: string, sessionVersion: number): void;
}

export type MakeUsersDeps = (env: AppEnv) => UsersDeps;

const userNotFound = () => notFound('USER_NOT_FOUND', 'User not found');
const addressNotFound = () => notFound('ADDRESS_NOT_FOUND', 'Address not found');

type AddressRow = typeof userAddresses.$inferSelect;

const toAddress = (row: AddressRow): Address => ({
  id: row.id,
  label: row.label,
  recipient_name: row.recipientName,
  phone: row.phone,
  address_line1: row.addressLine1,
  address_line2: row.addressLine2,
  city: row.city,
  state: row.state,
  country: row.country,
  postal_code: row.postalCode,
  is_default: row.isDefault,
});

const addressColumns = (input: AddressInput) => ({
  label: input.label,
  recipientName: input.recipient_name,
  phone: input.phone,
  addressLine1: input.address_line1,
  addressLine2: input.address_line2,
  city: input.city,
  state: input.state,
  country: input.country,
  postalCode: input.postal_code,
});

const ownAddress = (userId: string, addressId: string) => and(eq(userAddresses.id, addressId), eq(userAddresses.userId, userId));

async function findUserSummary(db: Db, userId: string) {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      role: users.role,
      createdAt: users.createdAt,
      firstName: userProfiles.firstName,
      lastName: userProfiles.lastName,
      phone: userProfiles.phone,
      avatarUrl: userProfiles.avatarUrl,
    })
    .from(users)
    .leftJoin(userProfiles, eq(userProfiles.userId, users.id))
    .where(and(eq(users.id, userId), isNull(users.deletedAt)));
  return row;
}

/** The caller's profile with addresses, default first then newest first. */
export async function getProfile(deps: UsersDeps, userId: string): Promise<Profile> {
  const { db } = deps;
  const [user, addresses] = await Promise.all([
    findUserSummary(db, userId),
    db.select().from(userAddresses).where(eq(userAddresses.userId, userId)).orderBy(desc(userAddresses.isDefault), desc(userAddresses.createdAt)),
  ]);
  if (!user) throw userNotFound();
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    first_name: user.firstName ?? '',
    last_name: user.lastName ?? '',
    phone: user.phone,
    avatar_url: user.avatarUrl,
    addresses: addresses.map(toAddress),
  };
}

/** Replaces the editable profile fields (creating the profile row if an old account lacks one). */
export async function updateProfile(deps: UsersDeps, userId: string, input: UpdateProfileInput): Promise<Profile> {
  const { db } = deps;
  const fields = { firstName: input.first_name, lastName: input.last_name, phone: input.phone, avatarUrl: input.avatar_url };
  await db
    .insert(userProfiles)
    .values({ userId, ...fields })
    .onConflictDoUpdate({ target: userProfiles.userId, set: { ...fields, updatedAt: new Date() } });
  return getProfile(deps, userId);
}

/**
 * Adds an address (at most {@link MAX_ADDRESSES_PER_USER}); it becomes the default when the user has none. The partial unique index is the
 * guard: if a concurrent request made a default first, this one is stored as a non-default.
 */
export async function createAddress(deps: UsersDeps, userId: string, input: AddressInput): Promise<Address> {
  const { db } = deps;
  // The profile lists every address unpaginated, so the list is bounded here (a soft cap: checked, not locked).
  if ((await db.$count(userAddresses, eq(userAddresses.userId, userId))) >= MAX_ADDRESSES_PER_USER) {
    throw conflict('ADDRESS_LIMIT_REACHED', `At most ${MAX_ADDRESSES_PER_USER} addresses per account`);
  }
  const noDefaultYet = sql`not exists (select 1 from ${userAddresses} where ${userAddresses.userId} = ${userId} and ${userAddresses.isDefault})`;
  const insert = (isDefault: boolean | SQL) =>
    db
      .insert(userAddresses)
      .values({ userId, ...addressColumns(input), isDefault })
      .returning();
  try {
    const [row] = await insert(noDefaultYet);
    return toAddress(row!);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const [row] = await insert(false);
    return toAddress(row!);
  }
}

/** Full replace of the caller's own address; someone else's id is a 404 and changes nothing. */
export async function updateAddress(deps: UsersDeps, userId: string, addressId: string, input: AddressInput): Promise<Address> {
  const { db } = deps;
  const [row] = await db
    .update(userAddresses)
    .set({ ...addressColumns(input), updatedAt: new Date() })
    .where(ownAddress(userId, addressId))
    .returning();
  if (!row) throw addressNotFound();
  return toAddress(row);
}

/** Deletes the caller's address; when it was the default, the newest remaining one takes over. */
export async function deleteAddress(deps: UsersDeps, userId: string, addressId: string): Promise<void> {
  const deleted = await deps.transaction(async (tx) => {
    const [row] = await tx.delete(userAddresses).where(ownAddress(userId, addressId)).returning({ isDefault: userAddresses.isDefault });
    if (!row) return false;
    if (row.isDefault) {
      const [newest] = await tx
        .select({ id: userAddresses.id })
        .from(userAddresses)
        .where(eq(userAddresses.userId, userId))
        .orderBy(desc(userAddresses.createdAt), desc(userAddresses.id))
        .limit(1);
      if (newest) await tx.update(userAddresses).set({ isDefault: true, updatedAt: new Date() }).where(eq(userAddresses.id, newest.id));
    }
    return true;
  });
  if (!deleted) throw addressNotFound();
}

/**
 * Makes one of the caller's addresses the only default. The user's address rows are locked first,
 * so concurrent switches queue up; the old default is cleared before the new one is set because
 * the partial unique index is checked per statement.
 */
export async function setDefaultAddress(deps: UsersDeps, userId: string, addressId: string): Promise<Address> {
  const row = await deps.transaction(async (tx) => {
    const owned = await tx.select({ id: userAddresses.id }).from(userAddresses).where(eq(userAddresses.userId, userId)).for('update');
    if (!owned.some((address) => address.id === addressId)) return undefined;
    await tx
      .update(userAddresses)
      .set({ isDefault: false, updatedAt: new Date() })
      .where(and(eq(userAddresses.userId, userId), eq(userAddresses.isDefault, true), ne(userAddresses.id, addressId)));
    const [updated] = await tx.update(userAddresses).set({ isDefault: true, updatedAt: new Date() }).where(ownAddress(userId, addressId)).returning();
    return updated;
  });
  if (!row) throw addressNotFound();
  return toAddress(row);
}

/** The public card of a seller: name, avatar, join date — never the email. Non-sellers are 404. */
export async function getSellerCard(deps: UsersDeps, sellerId: string): Promise<SellerCard> {
  const [row] = await deps.db
    .select({
      id: users.id,
      createdAt: users.createdAt,
      firstName: userProfiles.firstName,
      lastName: userProfiles.lastName,
      profileAvatar: userProfiles.avatarUrl,
      sellerAvatar: sellerProfiles.avatarUrl,
    })
    .from(users)
    .leftJoin(userProfiles, eq(userProfiles.userId, users.id))
    .leftJoin(sellerProfiles, eq(sellerProfiles.userId, users.id))
    .where(and(eq(users.id, sellerId), eq(users.role, 'seller'), isNull(users.deletedAt)));
  if (!row) throw notFound('SELLER_NOT_FOUND', 'Seller not found');
  return {
    id: row.id,
    firstName: row.firstName ?? '',
    lastName: row.lastName ?? '',
    avatarUrl: row.sellerAvatar ?? row.profileAvatar,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Basic record of any user, for admins. */
export async function getUserRecord(deps: UsersDeps, userId: string): Promise<UserSummary> {
  const user = await findUserSummary(deps.db, userId);
  if (!user) throw userNotFound();
  return { id: user.id, email: user.email, role: user.role, first_name: user.firstName ?? '', last_name: user.lastName ?? '' };
}

/**
 * Changes a user's role, bumps the session version (tokens carrying the old role stop working) and
 * revokes the user's refresh tokens, so their open session (and its live sockets) ends. The admins are locked first: the
 * last admin cannot be demoted (409 `LAST_ADMIN`). The audit record commits with the change.
 */
export async function changeUserRole(deps: UsersDeps, actor: AuditActor, userId: string, role: UserRole): Promise<UserSummary> {
  const sessionVersion = await deps.transaction(async (tx) => {
    const [target] = await tx.select({ role: users.role }).from(users).where(and(eq(users.id, userId), isNull(users.deletedAt))).for('update');
    if (!target) throw userNotFound();
    if (target.role === 'admin' && role !== 'admin') {
      const admins = await tx.select({ id: users.id }).from(users).where(and(eq(users.role, 'admin'), isNull(users.deletedAt))).for('update');
      if (admins.length <= 1) throw conflict('LAST_ADMIN', 'This is the only admin account; make another user admin first');
    }
    const [bumped] = await tx.update(users).set({ role, sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, userId)).returning({ sessionVersion: users.sessionVersion });
    await revokeAllRefreshTokens(tx, userId, new Date());
    await recordAdminAction(tx, { actor, action: 'user.role_changed', targetType: 'user', targetId: userId, before: { role: target.role }, after: { role } });
    return bumped!.sessionVersion;
  });
  deps.endLiveSessions(userId, sessionVersion);
  return getUserRecord(deps, userId);
}
