import { useState } from 'react';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { RatingStars } from '@/components/ui/rating-stars';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useProductReviews } from '@/features/catalog/api/get-product-reviews';
import { getErrorMessage } from '@/lib/error-message';
import { formatDate } from '@/lib/format';

/**
 * Reviews, 10 per page; paged in place (not in the URL) so the product page's own URL stays clean. The pager waits
 * only while the asked page is not shown yet: a background refetch of the shown page does not grey it out.
 */
export function ProductReviews({ productId }: { productId: number }) {
  const [page, setPage] = useState(1);
  const reviews = useProductReviews(productId, page);

  if (reviews.isPending) return <SkeletonRows rows={3} />;
  if (reviews.isError) return <ErrorState message={getErrorMessage(reviews.error)} onRetry={() => void reviews.refetch()} />;
  const { data, meta } = reviews.data;
  if (data.length === 0) return <EmptyState title="No reviews yet." />;

  return (
    <>
      <ul className="review-list">
        {data.map((review) => (
          <li key={review.id} className="review">
            <div className="review__meta">
              <RatingStars rating={review.rating} />
              {review.authorName === 'Verified buyer' ? null : <span className="review__author">{review.authorName}</span>}
              <span>Verified buyer</span>
              <time dateTime={review.createdAt}>{formatDate(review.createdAt)}</time>
            </div>
            {review.comment ? <p>{review.comment}</p> : null}
          </li>
        ))}
      </ul>
      {meta.totalPages > 1 ? (
        <nav className="pagination" aria-label="Reviews pages">
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={page <= 1 || reviews.isPlaceholderData}
            onClick={() => setPage((p) => p - 1)}
          >
            ← Newer
          </button>
          <span className="pagination__status">
            Page {meta.page} of {meta.totalPages}
          </span>
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={page >= meta.totalPages || reviews.isPlaceholderData}
            onClick={() => setPage((p) => p + 1)}
          >
            Older →
          </button>
        </nav>
      ) : null}
    </>
  );
}
