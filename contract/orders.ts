import { z } from 'zod';

/**
 * The shipping input rules both sides enforce: `PUT /orders/{id}/ship` (`workers/orders/shipment.ts`) is built from
 * these, and the seller's ship form checks the same values. Builders, not instances, for the reason given in
 * `contract/identity.ts`.
 */

/** Carriers whose public tracking page is linked; any other carrier name is shown as typed. */
export const KNOWN_CARRIERS = ['UPS', 'USPS', 'FedEx', 'DHL'] as const;

export const carrierName = () => z.string().trim().min(2).max(40);

export const trackingNumber = () =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 -]{3,39}$/, 'Use 4–40 letters, digits, spaces or dashes');
