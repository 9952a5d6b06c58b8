import { type FormEvent, useState } from 'react';

import { SkeletonRows } from '@/components/ui/skeleton';
import { TextAreaField, TextField } from '@/components/ui/form-field';
import { useOrderReturns, useReturnAction } from '@/features/returns/api/returns';
import { ReturnCard } from '@/features/returns/components/return-card';
import type { Order, Return } from '@/types/api';

/** Units of each order line not yet held by a return that was not rejected. */
export function remainingByLine(order: Order, returns: Return[]): Map<string, number> {
  const remaining = new Map(order.items.map((item) => [item.id, item.quantity]));
  for (const r of returns) {
    if (r.status === 'REJECTED') continue;
    for (const line of r.lines) remaining.set(line.orderItemId, (remaining.get(line.orderItemId) ?? 0) - line.quantity);
  }
  return remaining;
}

function RequestReturnForm({ order, remaining, onDone }: { order: Order; remaining: Map<string, number>; onDone: () => void }) {
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ lines?: string; reason?: string }>({});
  const request = useReturnAction({ onSuccess: onDone });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const lines = order.items.map((item) => ({ orderItemId: item.id, quantity: Number(quantities[item.id] ?? 0) })).filter((line) => line.quantity > 0);
    const next = {
      ...(lines.length === 0 ? { lines: 'Choose at least one item to return.' } : {}),
      ...(reason.trim() === '' ? { reason: 'Tell the seller why you return it.' } : {}),
    };
    setErrors(next);
    if (Object.keys(next).length === 0) request.mutate({ action: 'request', orderId: order.id, body: { lines, reason: reason.trim() } });
  };

  return (
    <form className="card form" aria-label="Request a return" onSubmit={submit} noValidate>
      {order.items
        .filter((item) => (remaining.get(item.id) ?? 0) > 0)
        .map((item) => (
          <TextField
            key={item.id}
            label={`Quantity of ${item.productName} to return`}
            type="number"
            inputMode="numeric"
            min={0}
            max={remaining.get(item.id)}
            value={quantities[item.id] ?? '0'}
            hint={`Up to ${remaining.get(item.id)}`}
            onChange={(e) => setQuantities({ ...quantities, [item.id]: e.target.value })}
          />
        ))}
      {errors.lines ? (
        <p className="field__error" role="alert">
          {errors.lines}
        </p>
      ) : null}
      <TextAreaField label="Reason" required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} error={errors.reason} />
      <button type="submit" className="button button--primary" disabled={request.isPending}>
        {request.isPending ? 'Sending…' : 'Send return request'}
      </button>
    </form>
  );
}

/** The buyer's returns of an order, the "sent" step, and a request form while something is left to return. */
export function BuyerReturns({ order }: { order: Order }) {
  const returns = useOrderReturns(order.id);
  const [requesting, setRequesting] = useState(false);
  const sent = useReturnAction();
  if (returns.isPending) return <SkeletonRows rows={2} />;
  if (returns.isError) return <p className="field__hint">Returns are unavailable right now.</p>;
  const remaining = remainingByLine(order, returns.data);
  const canRequest = order.status === 'DELIVERED' && [...remaining.values()].some((units) => units > 0);
  if (returns.data.length === 0 && !canRequest) return null;

  return (
    <section className="form" aria-labelledby="returns-title">
      <h2 id="returns-title">Returns</h2>
      {returns.data.map((r) => (
        <ReturnCard key={r.id} value={r}>
          {r.status === 'APPROVED' ? (
            <button type="button" className="button button--primary" disabled={sent.isPending} onClick={() => sent.mutate({ action: 'sent', id: r.id })}>
              {sent.isPending ? 'Saving…' : 'I have sent it back'}
            </button>
          ) : null}
        </ReturnCard>
      ))}
      {canRequest ? (
        requesting ? (
          <RequestReturnForm order={order} remaining={remaining} onDone={() => setRequesting(false)} />
        ) : (
          <button type="button" className="button button--secondary" onClick={() => setRequesting(true)}>
            Return items
          </button>
        )
      ) : null}
    </section>
  );
}
