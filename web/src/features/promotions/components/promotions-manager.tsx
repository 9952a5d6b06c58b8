import { type ChangeEvent, type FormEvent, useState } from 'react';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { FormError, SelectField, TextField } from '@/components/ui/form-field';
import { SkeletonRows } from '@/components/ui/skeleton';
import { type PromotionOwner, useCreatePromotion, usePromotions, useUpdatePromotion } from '@/features/promotions/api/promotions';
import { getErrorMessage } from '@/lib/error-message';
import { formatDate, formatPrice } from '@/lib/format';
import type { Promotion, PromotionInput } from '@/types/api';

const EMPTY = { name: '', code: '', type: 'percentage', value: '', scope: 'order', sellerId: '', categoryId: '', productIds: '', minSubtotal: '', usageLimit: '', perCustomerLimit: '', startsAt: '', endsAt: '' };
type FormState = typeof EMPTY;

/** What a promotion takes off, in words. */
export const describePromotion = (p: Pick<Promotion, 'type' | 'value'>) =>
  p.type === 'percentage' ? `${p.value} % off` : p.type === 'fixed' ? `${formatPrice(p.value)} off` : 'Free shipping';

/** What a promotion applies to, in words. */
export function describeScope(p: Pick<Promotion, 'scope' | 'categoryId' | 'productIds'>, categories: { id: number; name: string }[]): string {
  if (p.scope === 'category') return categories.find((c) => c.id === p.categoryId)?.name ?? 'A category';
  if (p.scope === 'products') return `${p.productIds?.length ?? 0} listed products`;
  return p.scope === 'seller' ? "One seller's products" : 'The whole order';
}

const optionalNumber = (value: string) => (value.trim() === '' ? null : Number(value));

/** What a promotion applies to, as the form offers it (a seller's promotions are on its own products anyway). */
const SCOPES: Record<PromotionOwner, { value: NonNullable<PromotionInput['scope']>; label: string }[]> = {
  admin: [
    { value: 'order', label: 'The whole order' },
    { value: 'seller', label: "One seller's products" },
    { value: 'category', label: 'A category' },
    { value: 'products', label: 'Listed products' },
  ],
  seller: [
    { value: 'order', label: 'All my products' },
    { value: 'category', label: 'My products in a category' },
    { value: 'products', label: 'Listed products' },
  ],
};

/** "12, 40 7" → [12, 40, 7]; anything that is not a whole number is left for the server to refuse by name. */
export const parseProductIds = (text: string) =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);

export function toInput(form: FormState): PromotionInput {
  const type = form.type as PromotionInput['type'];
  const scope = form.scope as NonNullable<PromotionInput['scope']>;
  return {
    name: form.name.trim(),
    code: form.code.trim() === '' ? null : form.code.trim(),
    type,
    ...(type === 'free_shipping' ? {} : { value: Number(form.value) }),
    scope,
    ...(scope === 'seller' ? { sellerId: form.sellerId.trim() } : {}),
    ...(scope === 'category' ? { categoryId: Number(form.categoryId) } : {}),
    ...(scope === 'products' ? { productIds: parseProductIds(form.productIds) } : {}),
    minSubtotal: optionalNumber(form.minSubtotal),
    usageLimit: optionalNumber(form.usageLimit),
    perCustomerLimit: optionalNumber(form.perCustomerLimit),
    // From the start of the chosen day to its end, in the shopper's time zone.
    ...(form.startsAt === '' ? {} : { startsAt: new Date(`${form.startsAt}T00:00:00`).toISOString() }),
    endsAt: form.endsAt === '' ? null : new Date(`${form.endsAt}T23:59:59`).toISOString(),
  };
}

/**
 * The promotions of the admin (platform-funded) or of the calling seller (its own products): each with its usage and
 * a pause/resume button, and a form to create one (no code = automatic). The server names whatever it refuses.
 */
export function PromotionsManager({ owner, categories }: { owner: PromotionOwner; categories: { id: number; name: string }[] }) {
  const promotions = usePromotions(owner);
  const create = useCreatePromotion(owner);
  const update = useUpdatePromotion(owner);
  const [form, setForm] = useState(EMPTY);
  const bind = (field: keyof FormState) => ({ value: form[field], onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm((f) => ({ ...f, [field]: e.target.value })) });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(toInput(form), { onSuccess: () => setForm(EMPTY) });
  };

  return (
    <>
      {promotions.isPending ? (
        <SkeletonRows rows={3} />
      ) : promotions.isError ? (
        <ErrorState message={getErrorMessage(promotions.error)} onRetry={() => void promotions.refetch()} />
      ) : promotions.data.length === 0 ? (
        <EmptyState title="No promotions yet." />
      ) : (
        <table className="table" aria-label="Promotions">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Name</th>
              <th scope="col">Discount</th>
              <th scope="col">Applies to</th>
              <th scope="col">Used</th>
              <th scope="col">Given</th>
              <th scope="col">Ends</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {promotions.data.map((p) => (
              <tr key={p.id}>
                <td data-label="Code">{p.code ?? <em>automatic</em>}</td>
                <td data-label="Name">{p.name}</td>
                <td data-label="Discount">
                  {describePromotion(p)}
                  {p.minSubtotal !== null ? <span className="field__hint"> from {formatPrice(p.minSubtotal)}</span> : null}
                </td>
                <td data-label="Applies to">{describeScope(p, categories)}</td>
                <td data-label="Used">
                  {p.usedCount}
                  {p.usageLimit !== null ? ` / ${p.usageLimit}` : ''}
                </td>
                <td data-label="Given">{formatPrice(p.discountGiven)}</td>
                <td data-label="Ends">{p.endsAt ? formatDate(p.endsAt) : '—'}</td>
                <td data-label="Status">{p.active ? 'Active' : 'Paused'}</td>
                <td data-label="Actions">
                  <button type="button" className="button button--secondary button--small" disabled={update.isPending} onClick={() => update.mutate({ id: p.id, active: !p.active })}>
                    {p.active ? 'Pause' : 'Resume'}
                    <span className="visually-hidden"> {p.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormError message={update.error ? getErrorMessage(update.error) : null} />
      <form className="form" onSubmit={onSubmit} aria-labelledby="new-promotion-title">
        <h2 id="new-promotion-title" className="section-title">
          New promotion
        </h2>
        <div className="form__row">
          <TextField label="Name" required maxLength={120} {...bind('name')} />
          <TextField label="Code" maxLength={40} hint="Leave empty: applies automatically" {...bind('code')} />
        </div>
        <div className="form__row">
          <SelectField label="Type" {...bind('type')}>
            <option value="percentage">Percent off</option>
            <option value="fixed">Amount off</option>
            <option value="free_shipping">Free shipping</option>
          </SelectField>
          {form.type === 'free_shipping' ? null : (
            <TextField label={form.type === 'percentage' ? 'Percent' : 'Amount'} type="number" min={0} step="0.01" required {...bind('value')} />
          )}
        </div>
        <div className="form__row">
          <SelectField label="Applies to" {...bind('scope')}>
            {SCOPES[owner].map((scope) => (
              <option key={scope.value} value={scope.value}>
                {scope.label}
              </option>
            ))}
          </SelectField>
          {form.scope === 'seller' ? <TextField label="Seller id" required hint="The seller's account id (a UUID)" {...bind('sellerId')} /> : null}
          {form.scope === 'category' ? (
            <SelectField label="Category" required {...bind('categoryId')}>
              <option value="">Choose a category</option>
              {categories.map((category) => (
                <option key={category.id} value={category.id}>
                  {category.name}
                </option>
              ))}
            </SelectField>
          ) : null}
          {form.scope === 'products' ? <TextField label="Product ids" required hint="Separated by commas or spaces" {...bind('productIds')} /> : null}
        </div>
        <TextField label="Minimum subtotal" type="number" min={0} step="0.01" hint="Optional" {...bind('minSubtotal')} />
        <div className="form__row">
          <TextField label="Starts on" type="date" hint="Optional: today" {...bind('startsAt')} />
          <TextField label="Ends on" type="date" hint="Optional" {...bind('endsAt')} />
        </div>
        <div className="form__row">
          <TextField label="Usage limit" type="number" min={1} step="1" hint="Optional: uses in all" {...bind('usageLimit')} />
          <TextField label="Per customer" type="number" min={1} step="1" hint="Optional" {...bind('perCustomerLimit')} />
        </div>
        <FormError message={create.error ? getErrorMessage(create.error) : null} />
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create promotion'}
        </button>
      </form>
    </>
  );
}
