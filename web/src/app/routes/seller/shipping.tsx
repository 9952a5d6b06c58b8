import { type FormEvent, useState } from 'react';

import { EmptyState, ErrorState } from '@/components/ui/empty-state';
import { FormError, TextField } from '@/components/ui/form-field';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useCreateShippingOption, useDeleteShippingOption, useMyShippingOptions, useUpdateShippingOption } from '@/features/seller/api/marketplace';
import { getErrorMessage } from '@/lib/error-message';
import { formatPrice } from '@/lib/format';

const EMPTY = { name: '', price: '', freeOver: '', minDays: '', maxDays: '' };

/** The seller portal's shipping options: what buyers choose from for this seller's part of a checkout. */
export function Component() {
  const options = useMyShippingOptions();
  const create = useCreateShippingOption();
  const update = useUpdateShippingOption();
  const remove = useDeleteShippingOption();
  const [form, setForm] = useState(EMPTY);
  const bind = (field: keyof typeof EMPTY) => ({ value: form[field], onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [field]: e.target.value })) });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        name: form.name.trim(),
        price: Number(form.price),
        freeOver: form.freeOver.trim() === '' ? null : Number(form.freeOver),
        minDays: Number(form.minDays),
        maxDays: Number(form.maxDays),
      },
      { onSuccess: () => setForm(EMPTY) },
    );
  };

  return (
    <div className="page container">
      <title>Shipping · Edge Shop</title>
      <div className="page__header">
        <h1>Shipping</h1>
      </div>
      <p className="page__lead">Buyers pick one of your active options for your part of their checkout. Without any, your orders ship with the platform’s standard shipping (4.99, free from 50.00).</p>
      {options.isPending ? (
        <SkeletonRows rows={3} />
      ) : options.isError ? (
        <ErrorState message={getErrorMessage(options.error)} onRetry={() => void options.refetch()} />
      ) : options.data.length === 0 ? (
        <EmptyState title="No shipping options yet." />
      ) : (
        <table className="table" aria-label="Your shipping options">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Price</th>
              <th scope="col">Free over</th>
              <th scope="col">Delivery</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {options.data.map((option) => (
              <tr key={option.id}>
                <td data-label="Name">{option.name}</td>
                <td data-label="Price">{formatPrice(option.price)}</td>
                <td data-label="Free over">{option.freeOver === null ? '—' : formatPrice(option.freeOver)}</td>
                <td data-label="Delivery">
                  {option.minDays}–{option.maxDays} days
                </td>
                <td data-label="Status">{option.active ? 'Active' : 'Inactive'}</td>
                <td data-label="Actions">
                  <button type="button" className="button button--secondary button--small" disabled={update.isPending} onClick={() => update.mutate({ id: option.id, active: !option.active })}>
                    {option.active ? 'Deactivate' : 'Activate'}
                    <span className="visually-hidden"> {option.name}</span>
                  </button>{' '}
                  <button type="button" className="button button--danger button--small" disabled={remove.isPending} onClick={() => remove.mutate(option.id)}>
                    Delete<span className="visually-hidden"> {option.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form" onSubmit={onSubmit} aria-labelledby="new-option-title">
        <h2 id="new-option-title" className="section-title">
          Add an option
        </h2>
        <TextField label="Name" required maxLength={100} {...bind('name')} />
        <div className="form__row">
          <TextField label="Price" type="number" min={0} step="0.01" required {...bind('price')} />
          <TextField label="Free over" type="number" min={0} step="0.01" hint="Leave empty: never free" {...bind('freeOver')} />
        </div>
        <div className="form__row">
          <TextField label="Min days" type="number" min={0} step="1" required {...bind('minDays')} />
          <TextField label="Max days" type="number" min={0} step="1" required {...bind('maxDays')} />
        </div>
        <FormError message={create.error ? getErrorMessage(create.error) : null} />
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add option'}
        </button>
      </form>
    </div>
  );
}
