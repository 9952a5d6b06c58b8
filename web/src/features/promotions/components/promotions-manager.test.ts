import { describe, expect, it } from 'vitest';

import { parseProductIds, toInput } from '@/features/promotions/components/promotions-manager';

const form = { name: ' Spring ', code: '', type: 'percentage', value: '15', scope: 'order', sellerId: '', categoryId: '', productIds: '', minSubtotal: '', usageLimit: '50', perCustomerLimit: '', startsAt: '', endsAt: '' };

describe('the promotion form', () => {
  it('sends only the scope field the chosen scope needs', () => {
    expect(toInput(form)).toEqual({ name: 'Spring', code: null, type: 'percentage', value: 15, scope: 'order', minSubtotal: null, usageLimit: 50, perCustomerLimit: null, endsAt: null });
    expect(toInput({ ...form, scope: 'category', categoryId: '6', sellerId: 'ignored' })).toMatchObject({ scope: 'category', categoryId: 6 });
    expect(toInput({ ...form, scope: 'category', categoryId: '6' })).not.toHaveProperty('sellerId');
    expect(toInput({ ...form, scope: 'products', productIds: '12, 40 7' })).toMatchObject({ scope: 'products', productIds: [12, 40, 7] });
    expect(toInput({ ...form, scope: 'seller', sellerId: ' 00000000-0000-0000-0000-000000000003 ' })).toMatchObject({ scope: 'seller', sellerId: '00000000-0000-0000-0000-000000000003' });
    expect(toInput({ ...form, type: 'free_shipping' })).not.toHaveProperty('value');
  });

  it('turns the chosen days into the start of the first and the end of the last, in local time', () => {
    const input = toInput({ ...form, startsAt: '2027-03-01', endsAt: '2027-03-31' });
    expect(new Date(input.startsAt!).getTime()).toBe(new Date(2027, 2, 1, 0, 0, 0).getTime());
    expect(new Date(input.endsAt!).getTime()).toBe(new Date(2027, 2, 31, 23, 59, 59).getTime());
  });

  it('reads product ids separated by commas or spaces', () => {
    expect(parseProductIds(' 3,4  5 ,')).toEqual([3, 4, 5]);
    expect(parseProductIds('')).toEqual([]);
  });
});
