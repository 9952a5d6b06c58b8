import type { CSSProperties } from 'react';

/** Five stars filled to the rating, with the number spoken instead of the glyphs. */
export function RatingStars({ rating, count }: { rating: number | null; count?: number }) {
  const value = rating ?? 0;
  const label = rating === null ? 'No ratings yet' : `Rated ${value.toFixed(1)} out of 5${count === undefined ? '' : ` from ${count} ${count === 1 ? 'review' : 'reviews'}`}`;
  return (
    <span className="rating" title={label}>
      <span className="visually-hidden">{label}</span>
      <span className="rating__stars" aria-hidden="true" style={{ '--rating': value } as CSSProperties}>
        ★★★★★
      </span>
      {count !== undefined ? (
        <span className="rating__count" aria-hidden="true">
          {rating === null ? 'No ratings' : `${value.toFixed(1)} (${count})`}
        </span>
      ) : null}
    </span>
  );
}
