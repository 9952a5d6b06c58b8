import { carrierName, KNOWN_CARRIERS, trackingNumber } from '@contract/orders';
import { z } from '@hono/zod-openapi';

/** Carriers whose public tracking page we can link to; any other carrier name is shown as typed, without a link. */
const TRACKING_PAGES: Record<string, (trackingNumber: string) => string> = {
  ups: (n) => `https://www.ups.com/track?tracknum=${n}`,
  usps: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
  fedex: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  dhl: (n) => `https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=${n}`,
};

/**
 * `PUT /orders/{id}/ship` body: the carrier and its tracking number, both or neither (clients written for the original
 * API ship without a body).
 */
export const shipOrderSchema = z
  .object({
    carrier: carrierName().openapi({ example: 'UPS', description: `Any carrier name; ${KNOWN_CARRIERS.join(', ')} get a tracking link` }),
    trackingNumber: trackingNumber().openapi({ example: '1Z999AA10123456784' }),
  })
  .partial()
  .strict()
  .refine((body) => (body.carrier === undefined) === (body.trackingNumber === undefined), {
    message: 'Send the carrier and the tracking number together',
    path: ['trackingNumber'],
  })
  .openapi('ShipOrder');

export type ShipOrder = z.infer<typeof shipOrderSchema>;

export const shipmentSchema = z
  .object({ carrier: z.string(), trackingNumber: z.string(), trackingUrl: z.string().nullable() })
  .openapi('Shipment', { description: 'Set when the seller shipped with a carrier and tracking number' });

export function toShipment(carrier: string | null, trackingNumber: string | null): z.infer<typeof shipmentSchema> | null {
  if (!carrier || !trackingNumber) return null;
  const page = TRACKING_PAGES[carrier.toLowerCase()];
  return { carrier, trackingNumber, trackingUrl: page ? page(encodeURIComponent(trackingNumber.replaceAll(' ', ''))) : null };
}
