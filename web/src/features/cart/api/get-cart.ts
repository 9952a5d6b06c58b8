import { queryOptions, useQuery } from '@tanstack/react-query';

import { client, dataOf } from '@/lib/api-client';
import { canShop, useCurrentUser } from '@/stores/auth-store';
import type { Cart } from '@/types/api';

/** `GET /cart`: live-priced lines with each product's available stock. */
export const getCart = (signal?: AbortSignal) => dataOf(client.GET('/cart', { signal }));

export const getCartQueryOptions = () =>
  queryOptions({ queryKey: ['cart'], queryFn: ({ signal }) => getCart(signal) });

/** The cart of the logged-in user; idle (no request) for guests and admins, who have none. */
export function useCart() {
  const user = useCurrentUser();
  return useQuery({ ...getCartQueryOptions(), enabled: user !== null && canShop(user.role) });
}

export const cartItemCount = (cart: Cart | undefined) => cart?.items.reduce((sum, item) => sum + item.quantity, 0) ?? 0;
