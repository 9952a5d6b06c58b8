import { describe, expect, it } from 'vitest';

import { REFUSED_ADDRESSES, VALID_ADDRESS } from '@contract/address.examples';
import { validateAddressValues, type AddressValues } from '@/components/ui/address-fields';

const values = (change: Partial<AddressValues> = {}): AddressValues => ({ ...VALID_ADDRESS, country: 'HK', ...change });
const HONG_KONG = [{ code: 'HK', name: 'Hong Kong', postalCodeChecked: false }];

describe('the address form checks the server’s rules', () => {
  it('accepts the valid example', () => {
    expect(validateAddressValues(values(), HONG_KONG, { postalCodeRequired: true })).toEqual({});
  });

  it.each(REFUSED_ADDRESSES)('refuses %s with the server’s message', (_, change, field, message) => {
    expect(validateAddressValues(values(change), HONG_KONG, { postalCodeRequired: true })).toEqual({ [field]: message });
  });

  it('asks for what is missing in its own words', () => {
    expect(validateAddressValues(values({ line1: ' ', city: '', country: '' }), HONG_KONG, { postalCodeRequired: true })).toEqual({
      line1: 'Enter the street address.',
      city: 'Enter the city.',
      country: 'Choose the country.',
    });
  });

  it('asks for a postal code only for a shipment to a country whose codes are checked', () => {
    const vietnam = [...HONG_KONG, { code: 'VN', name: 'Viet Nam', postalCodeChecked: true }];
    expect(validateAddressValues(values({ country: 'VN' }), vietnam, { postalCodeRequired: true })).toEqual({ postalCode: 'Enter the postal code.' });
    expect(validateAddressValues(values({ country: 'VN' }), vietnam, { postalCodeRequired: false })).toEqual({});
    expect(validateAddressValues(values(), vietnam, { postalCodeRequired: true })).toEqual({});
  });
});
