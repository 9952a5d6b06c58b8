import { type FormEvent, useState } from 'react';

import { carrierName, KNOWN_CARRIERS, trackingNumber as trackingNumberRule } from '@contract/orders';
import { SelectField, TextField } from '@/components/ui/form-field';
import type { Shipment } from '@/features/orders/api/order-actions';
import { checkWith, compactErrors } from '@/lib/validation';

const CARRIERS: readonly string[] = KNOWN_CARRIERS;
const OTHER = 'Other';

/**
 * The seller ships with a carrier and a tracking number, then confirms: shipping cannot be undone, and the buyer is
 * told at once.
 */
export function ShipForm({ pending, onShip }: { pending: boolean; onShip: (shipment: Shipment) => void }) {
  const [carrier, setCarrier] = useState(CARRIERS[0]!);
  const [otherCarrier, setOtherCarrier] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const [errors, setErrors] = useState<{ carrier?: string; trackingNumber?: string }>({});
  const [confirming, setConfirming] = useState<Shipment | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const shipment = { carrier: carrier === OTHER ? otherCarrier.trim() : carrier, trackingNumber: trackingNumber.trim() };
    // The server's rules for `PUT /orders/{id}/ship`; the carrier's refusal is worded here.
    const next = compactErrors({
      carrier: checkWith(carrierName(), shipment.carrier) && 'Enter the carrier’s name.',
      trackingNumber: checkWith(trackingNumberRule(), shipment.trackingNumber),
    });
    setErrors(next);
    if (Object.keys(next).length === 0) setConfirming(shipment);
  };

  if (confirming) {
    return (
      <div className="card form" role="group" aria-label="Confirm shipping">
        <p>
          Ship with {confirming.carrier}, tracking number {confirming.trackingNumber}? The buyer is notified and the order can no longer be
          cancelled.
        </p>
        <div className="form__row">
          <button type="button" className="button button--primary" disabled={pending} onClick={() => onShip(confirming)}>
            {pending ? 'Shipping…' : 'Yes, ship it'}
          </button>
          <button type="button" className="button button--secondary" disabled={pending} onClick={() => setConfirming(null)}>
            Back
          </button>
        </div>
      </div>
    );
  }

  return (
    <form className="card form" aria-label="Ship this order" onSubmit={submit} noValidate>
      <SelectField label="Carrier" required value={carrier} onChange={(e) => setCarrier(e.target.value)}>
        {[...CARRIERS, OTHER].map((name) => (
          <option key={name}>{name}</option>
        ))}
      </SelectField>
      {carrier === OTHER ? (
        <TextField label="Carrier name" required maxLength={40} value={otherCarrier} onChange={(e) => setOtherCarrier(e.target.value)} error={errors.carrier} />
      ) : null}
      <TextField
        label="Tracking number"
        required
        maxLength={40}
        value={trackingNumber}
        onChange={(e) => setTrackingNumber(e.target.value)}
        error={errors.trackingNumber}
      />
      <button type="submit" className="button button--primary">
        Mark as Shipped
      </button>
    </form>
  );
}
