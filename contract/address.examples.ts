/**
 * Values both sides are tested with: the Worker's address schemas (a saved address and an order's shipping address,
 * `workers/platform/postal-address.test.ts`) and the SPA's address form (`web/src/components/ui/address-fields.test.ts`).
 * Each value is refused by both address shapes, so "the form refuses what the server refuses" is checked, not assumed.
 */

export type AddressExampleField = 'recipientName' | 'phone' | 'line1' | 'line2' | 'city' | 'state' | 'postalCode';

/** A valid address in Hong Kong (HK: no postal codes) that each example changes one field of. */
export const VALID_ADDRESS: Record<AddressExampleField, string> = {
  recipientName: 'Mai Tran',
  phone: '+852 2123 4567',
  line1: '12 Queen’s Road',
  line2: 'Floor 3',
  city: 'Central',
  state: 'Hong Kong Island',
  postalCode: '',
};

/** One changed field, and the message both sides give for it. */
export const REFUSED_ADDRESSES: readonly (readonly [string, Partial<Record<AddressExampleField, string>>, AddressExampleField, string])[] = [
  ['a one-character street address', { line1: 'A' }, 'line1', 'Must be at least 2 characters'],
  ['a street address of punctuation', { line1: '-- --' }, 'line1', 'Must contain letters or digits'],
  ['a city without letters', { city: '12345' }, 'city', 'Must contain letters'],
  ['a recipient without letters', { recipientName: '42' }, 'recipientName', 'Must contain letters'],
  ['a phone with letters', { phone: 'call me' }, 'phone', 'Use digits, spaces and + ( ) - only'],
  ['a second line of punctuation', { line2: '...' }, 'line2', 'Must contain letters or digits'],
  ['a state of punctuation', { state: '#' }, 'state', 'Must contain letters or digits'],
];
