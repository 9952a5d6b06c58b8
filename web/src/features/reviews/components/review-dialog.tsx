import { type FormEvent, useEffect, useId, useRef, useState } from 'react';

import { reviewComment, reviewRating } from '@contract/catalog';
import { TextAreaField } from '@/components/ui/form-field';
import { Skeleton } from '@/components/ui/skeleton';
import { useMyReview } from '@/features/reviews/api/get-my-review';
import { useSaveReview } from '@/features/reviews/api/save-review';
import { checkWith } from '@/lib/validation';
import { toast } from '@/stores/toast-store';
import type { OrderItem, Review } from '@/types/api';

function StarInput({ value, onChange, label }: { value: number; onChange: (v: number) => void; label: string }) {
  const name = useId();
  return (
    <fieldset className="star-input">
      <legend className="field__label">{label}</legend>
      {[1, 2, 3, 4, 5].map((star) => (
        <label key={star} title={`${star} out of 5`}>
          <input type="radio" name={name} value={star} checked={value === star} onChange={() => onChange(star)} />
          <span data-on={star <= value} aria-hidden="true">
            ★
          </span>
          <span className="visually-hidden">{`${star} star${star === 1 ? '' : 's'}`}</span>
        </label>
      ))}
    </fieldset>
  );
}

function LineReviewForm({ item, existing }: { item: OrderItem; existing: Review | null }) {
  const [rating, setRating] = useState(existing?.rating ?? 0);
  const [comment, setComment] = useState(existing?.comment ?? '');
  const [error, setError] = useState<string | undefined>();
  const save = useSaveReview();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The server's rules for a review; worded here.
    if (checkWith(reviewRating(), rating)) return setError('Choose a rating from 1 to 5 stars.');
    if (checkWith(reviewComment(), comment)) return setError('Keep the comment under 2000 characters.');
    setError(undefined);
    save.mutate(
      { productId: item.productId, orderItemId: item.id, reviewId: existing?.id, rating, comment },
      { onSuccess: () => toast.success(`Review of ${item.productName} saved.`) },
    );
  };

  return (
    <form className="form card" onSubmit={onSubmit} noValidate aria-label={`Review of ${item.productName}`}>
      <strong>{item.productName}</strong>
      <StarInput value={rating} onChange={setRating} label="Rating" />
      <TextAreaField
        label="Comment (optional)"
        value={comment}
        maxLength={2000}
        rows={3}
        onChange={(e) => setComment(e.target.value)}
        error={error}
      />
      <button type="submit" className="button button--primary" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : existing ? 'Update review' : 'Submit review'}
      </button>
    </form>
  );
}

function LineReview({ item }: { item: OrderItem }) {
  const mine = useMyReview(item.productId, item.id);
  if (mine.isPending) return <Skeleton className="skeleton--block" />;
  // Without knowing an earlier review the form still works for a new one; the server refuses a duplicate.
  return <LineReviewForm item={item} existing={mine.data ?? null} />;
}

/** A modal listing each delivered line with a 1–5 star rating and optional comment (create or update). */
export function ReviewDialog({ items, open, onClose }: { items: OrderItem[]; open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="review-dialog-title" onClose={onClose}>
      {open ? (
        <div className="form">
          <div className="dropdown__header">
            <h2 id="review-dialog-title">Write or edit reviews</h2>
            <button type="button" className="button button--secondary button--small" onClick={onClose}>
              Close
            </button>
          </div>
          {items.map((item) => (
            <LineReview key={item.id} item={item} />
          ))}
        </div>
      ) : null}
    </dialog>
  );
}
