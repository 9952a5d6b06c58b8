import { type ChangeEvent, type FormEvent, useState } from 'react';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { FormError, SelectField, TextField } from '@/components/ui/form-field';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useCreateTaxRate, useDeleteTaxRate, useTaxRates } from '@/features/promotions/api/promotions';
import { useCategories } from '@/features/catalog/api/get-categories';
import { getErrorMessage } from '@/lib/error-message';

const EMPTY = { country: '', region: '', categoryId: '', appliesTo: 'goods', rate: '', name: '' };

/**
 * Tax rates: a country default, a state/region, a per-category override or the rate shipping is taxed at. Prices are
 * tax-exclusive; a change applies to checkouts from now on (placed orders keep their tax).
 */
export function Component() {
  const rates = useTaxRates();
  const categories = useCategories();
  const create = useCreateTaxRate();
  const remove = useDeleteTaxRate();
  const [form, setForm] = useState(EMPTY);
  const bind = (field: keyof typeof EMPTY) => ({ value: form[field], onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm((f) => ({ ...f, [field]: e.target.value })) });
  const categoryName = (id: number | null) => (id === null ? 'All' : (categories.data?.find((c) => c.id === id)?.name ?? `#${id}`));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        country: form.country.trim(),
        region: form.region.trim() === '' ? null : form.region.trim(),
        categoryId: form.appliesTo === 'goods' && form.categoryId !== '' ? Number(form.categoryId) : null,
        appliesTo: form.appliesTo as 'goods' | 'shipping',
        rate: Number(form.rate),
        name: form.name.trim(),
      },
      { onSuccess: () => setForm(EMPTY) },
    );
  };

  return (
    <>
      <title>Tax rates · Edge Shop</title>
      <div className="page__header">
        <h1>Tax rates</h1>
      </div>
      <p className="page__lead">Prices are tax-exclusive: tax is added per line on the discounted price, and on shipping at the shipping rate. The most specific rate wins.</p>
      {rates.isPending ? (
        <SkeletonRows rows={3} />
      ) : rates.isError ? (
        <ErrorState message={getErrorMessage(rates.error)} onRetry={() => void rates.refetch()} />
      ) : rates.data.length === 0 ? (
        <EmptyState title="No tax rates: nothing is taxed." />
      ) : (
        <table className="table" aria-label="Tax rates">
          <thead>
            <tr>
              <th scope="col">Country</th>
              <th scope="col">Region</th>
              <th scope="col">Applies to</th>
              <th scope="col">Rate</th>
              <th scope="col">Name</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rates.data.map((r) => (
              <tr key={r.id}>
                <td data-label="Country">{r.country}</td>
                <td data-label="Region">{r.region ?? 'All'}</td>
                <td data-label="Applies to">{r.appliesTo === 'shipping' ? 'Shipping' : `Goods: ${categoryName(r.categoryId)}`}</td>
                <td data-label="Rate">{r.rate} %</td>
                <td data-label="Name">{r.name}</td>
                <td data-label="Actions">
                  <button type="button" className="button button--danger button--small" disabled={remove.isPending} onClick={() => remove.mutate(r.id)}>
                    Remove<span className="visually-hidden"> {r.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormError message={remove.error ? getErrorMessage(remove.error) : null} />
      <form className="form" onSubmit={onSubmit} aria-labelledby="new-rate-title">
        <h2 id="new-rate-title" className="section-title">
          Add a rate
        </h2>
        <div className="form__row">
          <TextField label="Country" required maxLength={100} {...bind('country')} />
          <TextField label="Region" maxLength={100} hint="Optional: a state or region" {...bind('region')} />
        </div>
        <div className="form__row">
          <SelectField label="Applies to" {...bind('appliesTo')}>
            <option value="goods">Goods</option>
            <option value="shipping">Shipping</option>
          </SelectField>
          {form.appliesTo === 'goods' ? (
            <SelectField label="Category" {...bind('categoryId')}>
              <option value="">All categories</option>
              {(categories.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </SelectField>
          ) : null}
        </div>
        <div className="form__row">
          <TextField label="Rate (%)" type="number" min={0} max={100} step="0.0001" required {...bind('rate')} />
          <TextField label="Name" required maxLength={100} {...bind('name')} />
        </div>
        <FormError message={create.error ? getErrorMessage(create.error) : null} />
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add rate'}
        </button>
      </form>
    </>
  );
}
