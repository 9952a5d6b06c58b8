import type { ChangeEvent } from 'react';
import type { z } from 'zod';

import { addressText, optionalAddressText, phone, postalCode } from '@contract/address';
import { SelectField, TextField } from '@/components/ui/form-field';
import { useCountries } from '@/lib/countries';
import { checkWith, compactErrors, type FieldErrors } from '@/lib/validation';
import type { Address, Country, ShippingAddress } from '@/types/api';

/**
 * The one address form of the shop, used for saved addresses in the profile and for a new address at checkout. Each
 * caller maps these values to its wire shape (a saved address or an order's shipping address).
 */
export interface AddressValues {
  recipientName: string;
  phone: string;
  line1: string;
  line2: string;
  city: string;
  state: string;
  country: string;
  postalCode: string;
}
export type AddressField = keyof AddressValues;

export const EMPTY_ADDRESS: AddressValues = { recipientName: '', phone: '', line1: '', line2: '', city: '', state: '', country: '', postalCode: '' };

/** A saved address (the profile's shape) as form values. */
export const addressValuesOf = (address: Address): AddressValues => ({
  recipientName: address.recipient_name ?? '',
  phone: address.phone ?? '',
  line1: address.address_line1,
  line2: address.address_line2 ?? '',
  city: address.city,
  state: address.state ?? '',
  country: address.country,
  postalCode: address.postal_code ?? '',
});

/** An order's shipping address as form values. */
export const shippingAddressValues = (a: ShippingAddress): AddressValues => ({
  recipientName: a.recipientName ?? '',
  phone: a.phone ?? '',
  line1: a.street,
  line2: a.line2 ?? '',
  city: a.city,
  state: a.state,
  country: a.country,
  postalCode: a.zipCode,
});

/** An address as a label prints it; the country by its name (an address stored before codes shows it as typed). */
export function AddressView({ values: a }: { values: AddressValues }) {
  const countries = useCountries();
  const code = countryCodeOf(a.country, countries.data);
  const country = countries.data?.find((c) => c.code === code)?.name ?? a.country;
  const lines = [a.recipientName, [a.line1, a.line2].filter(Boolean).join(', '), [a.city, [a.state, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', '), country, a.phone];
  return (
    <address>
      {lines.filter(Boolean).map((line, i) => (
        <span key={i} className="address__line">
          {i === 0 && a.recipientName ? <strong>{line}</strong> : line}
        </span>
      ))}
    </address>
  );
}

/** A stored country (a code, or a name typed before codes were asked for) as the code the select knows, or blank. */
export function countryCodeOf(value: string, countries: Country[] | undefined): string {
  const text = value.trim().toLowerCase();
  const match = countries?.find((c) => c.code.toLowerCase() === text || c.name.toLowerCase() === text);
  return match?.code ?? (/^[a-z]{2}$/.test(text) ? text.toUpperCase() : '');
}

/**
 * The server's rules for each field (`@contract/address`); a missing required value gets the form's own wording.
 * `postalCodeRequired` when the address is for a shipment (not a saved address). City and state take the shorter
 * limit of the two address shapes (a saved address allows 100 characters, an order's 255).
 */
export function validateAddressValues(values: AddressValues, countries: Country[] | undefined, { postalCodeRequired }: { postalCodeRequired: boolean }): FieldErrors<AddressField> {
  const code = countryCodeOf(values.country, countries);
  const checked = countries?.find((c) => c.code === code)?.postalCodeChecked ?? false;
  const required = (value: string, missing: string, schema: z.ZodType) => (value.trim() ? checkWith(schema, value) : missing);
  return compactErrors({
    recipientName: values.recipientName.trim() ? checkWith(addressText(100, { min: 1, digits: false }), values.recipientName) : undefined,
    phone: checkWith(phone(), values.phone),
    line1: required(values.line1, 'Enter the street address.', addressText(255)),
    line2: checkWith(optionalAddressText(255), values.line2),
    city: required(values.city, 'Enter the city.', addressText(100, { min: 1, digits: false })),
    state: checkWith(optionalAddressText(100), values.state),
    country: values.country ? undefined : 'Choose the country.',
    postalCode: postalCodeRequired && checked ? required(values.postalCode, 'Enter the postal code.', postalCode()) : checkWith(postalCode(), values.postalCode),
  });
}

interface AddressFieldsProps {
  values: AddressValues;
  errors: FieldErrors<AddressField>;
  onChange: (field: AddressField, value: string) => void;
  postalCodeRequired: boolean;
}

export function AddressFields({ values, errors, onChange, postalCodeRequired }: AddressFieldsProps) {
  const countries = useCountries();
  const country = countryCodeOf(values.country, countries.data);
  const checked = countries.data?.find((c) => c.code === country)?.postalCodeChecked ?? false;
  const bind = (field: AddressField) => ({
    value: values[field],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => onChange(field, e.target.value),
    error: errors[field],
  });
  return (
    <>
      <div className="form__row">
        <TextField label="Recipient name" autoComplete="name" maxLength={100} hint="Leave blank to use your account name." {...bind('recipientName')} />
        <TextField label="Phone (optional)" type="tel" autoComplete="tel" maxLength={20} {...bind('phone')} />
      </div>
      <TextField label="Street address" autoComplete="address-line1" required maxLength={255} {...bind('line1')} />
      <TextField label="Apartment, suite, unit (optional)" autoComplete="address-line2" maxLength={255} {...bind('line2')} />
      <div className="form__row">
        <TextField label="City" autoComplete="address-level2" required maxLength={100} {...bind('city')} />
        <TextField label="State / region (optional)" autoComplete="address-level1" maxLength={100} {...bind('state')} />
      </div>
      <div className="form__row">
        <SelectField label="Country" autoComplete="country" required {...bind('country')} value={country}>
          <option value="">{countries.isPending ? 'Loading countries…' : 'Choose a country'}</option>
          {countries.data?.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <TextField label={checked && postalCodeRequired ? 'Postal code' : 'Postal code (if any)'} autoComplete="postal-code" required={checked && postalCodeRequired} maxLength={20} {...bind('postalCode')} />
      </div>
    </>
  );
}
