import type { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';

import { userProfiles, users } from '@/identity/tables';
import type { shippingAddressInputSchema } from '@/orders/schema';
import type { ShippingAddress } from '@/orders/tables';
import type { Queryable } from '@/platform/db';

export type ShippingAddressInput = z.output<typeof shippingAddressInputSchema>;

/**
 * The address an order stores: the recipient defaults to the account holder's name (clients written before recipients
 * existed send none) and the optional parts are stored as blank strings, the shape older readers expect.
 */
export async function storedShippingAddress(db: Queryable, userId: string, input: ShippingAddressInput): Promise<ShippingAddress> {
  const recipientName = input.recipientName ?? (await accountHolderName(db, userId));
  return {
    recipientName,
    phone: input.phone ?? null,
    street: input.street,
    line2: input.line2 ?? null,
    city: input.city,
    state: input.state ?? '',
    country: input.country,
    zipCode: input.zipCode ?? '',
  };
}

/** The profile's name; an account without a profile (created before profiles) is named by its e-mail. */
async function accountHolderName(db: Queryable, userId: string): Promise<string> {
  const [account] = await db
    .select({ email: users.email, firstName: userProfiles.firstName, lastName: userProfiles.lastName })
    .from(users)
    .leftJoin(userProfiles, eq(userProfiles.userId, users.id))
    .where(eq(users.id, userId));
  const name = `${account?.firstName ?? ''} ${account?.lastName ?? ''}`.trim();
  return name || (account?.email ?? '');
}
