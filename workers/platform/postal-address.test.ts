import { describe, expect, it } from 'vitest';

import { REFUSED_ADDRESSES, VALID_ADDRESS, type AddressExampleField } from '@contract/address.examples';
import { addressBodySchema } from '@/identity/schema';
import { shippingAddressInputSchema } from '@/orders/schema';

/** The two wire shapes of an address: a saved one (snake_case, the profile) and an order's shipping address. */
const SHAPES = [
  {
    name: 'a saved address',
    schema: addressBodySchema,
    names: { recipientName: 'recipient_name', phone: 'phone', line1: 'address_line1', line2: 'address_line2', city: 'city', state: 'state', postalCode: 'postal_code' },
  },
  {
    name: "an order's shipping address",
    schema: shippingAddressInputSchema,
    names: { recipientName: 'recipientName', phone: 'phone', line1: 'street', line2: 'line2', city: 'city', state: 'state', postalCode: 'zipCode' },
  },
] as const;

const body = (names: Record<AddressExampleField, string>, values: Record<AddressExampleField, string>) => ({
  ...Object.fromEntries(Object.entries(values).map(([field, value]) => [names[field as AddressExampleField], value])),
  country: 'HK',
});

describe.each(SHAPES)('$name', ({ schema, names }) => {
  it('accepts the valid example', () => {
    expect(schema.safeParse(body(names, VALID_ADDRESS)).success).toBe(true);
  });

  it.each(REFUSED_ADDRESSES)('refuses %s on its field, with the message the form shows', (_, change, field, message) => {
    const result = schema.safeParse(body(names, { ...VALID_ADDRESS, ...change }));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toContainEqual([names[field], message]);
  });
});
