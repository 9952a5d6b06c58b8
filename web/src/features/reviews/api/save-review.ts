import { useMutation, useQueryClient } from '@tanstack/react-query';

import { getMyReviewQueryOptions } from '@/features/reviews/api/get-my-review';
import { client, dataOf } from '@/lib/api-client';

interface SaveReviewInput {
  productId: number;
  orderItemId: string;
  /** Present when updating the caller's existing review. */
  reviewId?: number | undefined;
  rating: number;
  comment: string;
}

/** `POST /products/:id/reviews` for a new review, `PUT …/reviews/:reviewId` to edit one. */
export const saveReview = ({ productId, orderItemId, reviewId, rating, comment }: SaveReviewInput) => {
  const text = comment.trim() || undefined;
  return reviewId === undefined
    ? dataOf(client.POST('/products/{productId}/reviews', { params: { path: { productId } }, body: { orderItemId, rating, comment: text } }))
    : dataOf(client.PUT('/products/{productId}/reviews/{reviewId}', { params: { path: { productId, reviewId } }, body: { rating, comment: text } }));
};

export function useSaveReview() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: saveReview,
    onSuccess: (review, input) => {
      queryClient.setQueryData(getMyReviewQueryOptions(input.productId, input.orderItemId).queryKey, review);
      // The product's rating and review list changed too.
      void queryClient.invalidateQueries({ queryKey: ['products'] });
    },
  });
}
