import { useState } from 'react';

import { SkeletonRows } from '@/components/ui/skeleton';
import { TextAreaField } from '@/components/ui/form-field';
import { useOrderReturns, useReturnAction } from '@/features/returns/api/returns';
import { ReturnCard } from '@/features/returns/components/return-card';
import type { Return } from '@/types/api';

function Decide({ value }: { value: Return }) {
  const [note, setNote] = useState('');
  const decide = useReturnAction();
  const send = (action: 'approve' | 'reject') => decide.mutate({ action, id: value.id, ...(note.trim() ? { note: note.trim() } : {}) });
  return (
    <>
      <TextAreaField label="Note to the buyer (optional)" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="form__row">
        <button type="button" className="button button--primary" disabled={decide.isPending} onClick={() => send('approve')}>
          Approve return
        </button>
        <button type="button" className="button button--danger" disabled={decide.isPending} onClick={() => send('reject')}>
          Reject return
        </button>
      </div>
    </>
  );
}

function Receive({ value }: { value: Return }) {
  const [restock, setRestock] = useState(true);
  const receive = useReturnAction();
  const checkboxId = `restock-${value.id}`;
  return (
    <>
      <div className="form__row">
        <input id={checkboxId} type="checkbox" checked={restock} onChange={(e) => setRestock(e.target.checked)} />
        <label htmlFor={checkboxId}>Put the items back on sale</label>
      </div>
      <button type="button" className="button button--primary" disabled={receive.isPending} onClick={() => receive.mutate({ action: 'received', id: value.id, restock })}>
        {receive.isPending ? 'Refunding…' : 'Mark as received and refund'}
      </button>
    </>
  );
}

/** The seller's side of an order's returns: approve or reject a request, receive a sent one (→ refund). */
export function SellerReturns({ orderId }: { orderId: string }) {
  const returns = useOrderReturns(orderId);
  if (returns.isPending) return <SkeletonRows rows={2} />;
  if (returns.isError) return <p className="field__hint">Returns are unavailable right now.</p>;
  if (returns.data.length === 0) return null;
  return (
    <section className="form" aria-labelledby="returns-title">
      <h2 id="returns-title">Returns</h2>
      {returns.data.map((r) => (
        <ReturnCard key={r.id} value={r}>
          {r.status === 'REQUESTED' ? <Decide value={r} /> : null}
          {r.status === 'SENT' || r.status === 'RECEIVED' ? <Receive value={r} /> : null}
        </ReturnCard>
      ))}
    </section>
  );
}
