import { useMutation, useQueryClient } from '@tanstack/react-query';

import { getCartQueryOptions } from '@/features/cart/api/get-cart';
import { client, dataOf, isApiError, type ApiError } from '@/lib/api-client';
import { sumAmounts } from '@/lib/format';
import { toast } from '@/stores/toast-store';
import type { Cart, CartItem } from '@/types/api';

export interface AddToCartInput {
  productId: number;
  quantity: number;
  /** What the page already knows about the product, so the optimistic line looks right before the server answers. */
  product: { name: string; price: number; sellerId: string; imageUrl: string | null; stockAvailable: number };
}

/** `POST /cart/items`: adds to the existing line, answers with the whole cart. */
export const addToCart = ({ productId, quantity }: AddToCartInput) =>
  dataOf(client.POST('/cart/items', { body: { product_id: productId, quantity } }));

/** The cart with `input` added, as the server will compute it (used only until the server's answer arrives). */
export function withAddedItem(cart: Cart, { productId, quantity, product }: AddToCartInput): Cart {
  const existing = cart.items.find((item) => item.product_id === productId);
  const items: CartItem[] = existing
    ? cart.items.map((item) =>
        item.product_id === productId
          ? { ...item, quantity: item.quantity + quantity, subtotal: sumAmounts([item.subtotal, product.price * quantity]) }
          : item,
      )
    : [
        ...cart.items,
        {
          product_id: productId,
          product_name: product.name,
          quantity,
          unit_price: product.price,
          subtotal: sumAmounts([product.price * quantity]),
          seller_id: product.sellerId,
          image_url: product.imageUrl,
          stock_available: product.stockAvailable,
          price_changed: false,
        },
      ];
  return { ...cart, items, total: sumAmounts(items.map((item) => item.subtotal)) };
}

const ADD_TO_CART_MESSAGES: Record<string, string> = {
  SELLER_CANNOT_BUY_OWN_PRODUCT: 'You can’t buy your own product.',
  INSUFFICIENT_STOCK: 'Not enough stock for that quantity. Try fewer items.',
};

/** How many more units fit, from the server's count of what is available and what the cart already holds. */
function stockMessage(error: ApiError, cart: Cart | undefined, productId: number): string | undefined {
  const available = Number(error.details?.available);
  if (error.code !== 'INSUFFICIENT_STOCK' || !Number.isInteger(available)) return undefined;
  const inCart = cart?.items.find((item) => item.product_id === productId)?.quantity ?? 0;
  const more = Math.max(0, available - inCart);
  if (more === 0) return inCart > 0 ? `Your cart already holds all ${available} available.` : 'Sold out: none left to add.';
  return `Only ${more} more available${inCart > 0 ? ` (your cart already holds ${inCart})` : ''}.`;
}

/**
 * Optimistic add: the header badge counts the new items at once; if the server refuses, the cart snaps back to
 * the snapshot taken before and a toast says why.
 */
export function useAddToCart() {
  const queryClient = useQueryClient();
  const { queryKey } = getCartQueryOptions();
  return useMutation({
    mutationFn: addToCart,
    meta: { errorToast: false },
    onMutate: async (input) => {
      // A refetch landing after the optimistic write would overwrite it with the old cart.
      await queryClient.cancelQueries({ queryKey });
      const previous = queryClient.getQueryData(queryKey);
      if (previous) queryClient.setQueryData(queryKey, withAddedItem(previous, input));
      return { previous };
    },
    onError: (error, input, context) => {
      if (context?.previous) queryClient.setQueryData(queryKey, context.previous);
      const message = isApiError(error) ? (stockMessage(error, context?.previous, input.productId) ?? ADD_TO_CART_MESSAGES[error.code]) : undefined;
      if (message) toast.error(message, isApiError(error) ? error.requestId : undefined);
      else toast.fromError(error);
    },
    onSuccess: (cart, input) => {
      queryClient.setQueryData(queryKey, cart);
      toast.success(`Added ${input.quantity} × ${input.product.name} to your cart.`);
    },
  });
}
