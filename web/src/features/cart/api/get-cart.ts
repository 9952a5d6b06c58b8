import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { useIsAuthenticated } from '@/stores/auth-store';
import type { Cart } from '@/types/api';

/** `GET /cart`: live-priced lines with each product's available stock. */
export const getCart = (signal?: AbortSignal) => api.get<Cart>('/cart', { signal });

export const getCartQueryOptions = () =>
  queryOptions({ queryKey: ['cart'], queryFn: ({ signal }) => getCart(signal) });

/** The cart of the logged-in user; idle (no request) for guests. */
export function useCart() {
  const isAuthenticated = useIsAuthenticated();
  return useQuery({ ...getCartQueryOptions(), enabled: isAuthenticated });
}

export const cartItemCount = (cart: Cart | undefined) => cart?.items.reduce((sum, item) => sum + item.quantity, 0) ?? 0;
