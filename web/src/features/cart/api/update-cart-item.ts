import { useMutation, useQueryClient } from '@tanstack/react-query';

import { getCartQueryOptions } from '@/features/cart/api/get-cart';
import { client, dataOf } from '@/lib/api-client';

/** `PUT /cart/items/:productId` with an absolute quantity (stock-checked). */
export const updateCartItem = ({ productId, quantity }: { productId: number; quantity: number }) =>
  dataOf(client.PUT('/cart/items/{productId}', { params: { path: { productId: String(productId) } }, body: { quantity } }));

export function useUpdateCartItem() {
  const queryClient = useQueryClient();
  const { queryKey } = getCartQueryOptions();
  return useMutation({
    mutationFn: updateCartItem,
    onSuccess: (cart) => queryClient.setQueryData(queryKey, cart),
    // A refused change (stock moved) leaves the line as the server has it.
    onError: () => queryClient.invalidateQueries({ queryKey }),
  });
}

/** `DELETE /cart/items/:productId`. */
export const removeCartItem = (productId: number) => dataOf(client.DELETE('/cart/items/{productId}', { params: { path: { productId: String(productId) } } }));

export function useRemoveCartItem() {
  const queryClient = useQueryClient();
  const { queryKey } = getCartQueryOptions();
  return useMutation({
    mutationFn: removeCartItem,
    onSuccess: (_data, productId) =>
      queryClient.setQueryData(queryKey, (cart) =>
        cart ? { ...cart, items: cart.items.filter((item) => item.product_id !== productId) } : cart,
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey }),
  });
}

/** `DELETE /cart`. */
export const clearCart = () => dataOf(client.DELETE('/cart'));

export function useClearCart() {
  const queryClient = useQueryClient();
  const { queryKey } = getCartQueryOptions();
  return useMutation({
    mutationFn: clearCart,
    onSuccess: () => queryClient.setQueryData(queryKey, (cart) => (cart ? { ...cart, items: [], total: 0 } : cart)),
    onSettled: () => queryClient.invalidateQueries({ queryKey }),
  });
}
