import { useState } from 'react';

import { AddressView, addressValuesOf } from '@/components/ui/address-fields';
import { EmptyState } from '@/components/ui/empty-state';
import {
  useCreateAddress,
  useDeleteAddress,
  useSetDefaultAddress,
  useUpdateAddress,
} from '@/features/profile/api/addresses';
import { AddressForm } from '@/features/profile/components/address-form';
import { InlineConfirm } from '@/components/ui/inline-confirm';
import { toast } from '@/stores/toast-store';
import type { Address } from '@/types/api';

function AddressCard({ address }: { address: Address }) {
  const [editing, setEditing] = useState(false);
  const update = useUpdateAddress();
  const remove = useDeleteAddress();
  const makeDefault = useSetDefaultAddress();
  const name = address.label || address.address_line1;

  if (editing) {
    return (
      <AddressForm
        address={address}
        submitLabel="Save address"
        pending={update.isPending}
        error={update.error}
        onCancel={() => setEditing(false)}
        onSubmit={(input) =>
          update.mutate(
            { id: address.id, input },
            {
              onSuccess: () => {
                setEditing(false);
                toast.success('Address saved.');
              },
            },
          )
        }
      />
    );
  }

  return (
    <div className="card">
      <p>
        <strong>{address.label || 'Address'}</strong>{' '}
        {address.is_default ? <span className="badge badge--info">Default</span> : null}
      </p>
      <AddressView values={addressValuesOf(address)} />
      <div className="form__actions">
        {!address.is_default ? (
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={makeDefault.isPending}
            onClick={() => makeDefault.mutate(address.id)}
          >
            Make default<span className="visually-hidden"> ({name})</span>
          </button>
        ) : null}
        <button type="button" className="button button--secondary button--small" onClick={() => setEditing(true)}>
          Edit<span className="visually-hidden"> {name}</span>
        </button>
        <InlineConfirm
          label="Delete"
          name={name}
          confirmLabel="Confirm delete"
          pendingLabel="Deleting…"
          danger
          pending={remove.isPending}
          onConfirm={() => remove.mutateAsync(address.id).then(() => toast.success('Address deleted.'))}
        />
      </div>
    </div>
  );
}

export function AddressBook({ addresses }: { addresses: Address[] }) {
  const [adding, setAdding] = useState(false);
  const create = useCreateAddress();

  return (
    <section aria-labelledby="addresses-title">
      <div className="page__header section-title">
        <h2 id="addresses-title">Addresses</h2>
        {!adding ? (
          <button type="button" className="button button--secondary" onClick={() => setAdding(true)}>
            + Add address
          </button>
        ) : null}
      </div>
      {adding ? (
        <AddressForm
          submitLabel="Add address"
          pending={create.isPending}
          error={create.error}
          onCancel={() => setAdding(false)}
          onSubmit={(input) =>
            create.mutate(input, {
              onSuccess: () => {
                setAdding(false);
                toast.success('Address added.');
              },
            })
          }
        />
      ) : null}
      {addresses.length === 0 && !adding ? (
        <EmptyState title="No saved addresses yet.">
          <p>Save one to check out faster.</p>
        </EmptyState>
      ) : (
        <div className="form__row">
          {addresses.map((address) => (
            <AddressCard key={address.id} address={address} />
          ))}
        </div>
      )}
    </section>
  );
}
