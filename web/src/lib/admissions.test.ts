import { afterEach, describe, expect, it, vi } from 'vitest';

import { admissionHeaders, forgetAdmissions, saveAdmission } from '@/lib/admissions';

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

afterEach(() => {
  localStorage.clear();
  vi.useRealTimers();
});

describe('admissions', () => {
  it('sends nothing without an admission, and every unexpired one, one per product, once saved', () => {
    expect(admissionHeaders()).toEqual({});
    saveAdmission({ productId: 1, token: 'a.b.c', expiresAt: inMinutes(10) });
    saveAdmission({ productId: 2, token: 'd.e.f', expiresAt: inMinutes(10) });
    // A newer admission of the same product replaces the older one.
    saveAdmission({ productId: 1, token: 'g.h.i', expiresAt: inMinutes(10) });
    expect(admissionHeaders()).toEqual({ 'Admission-Token': 'd.e.f,g.h.i' });
  });

  it('drops expired admissions and those an order used', () => {
    saveAdmission({ productId: 1, token: 'a.b.c', expiresAt: inMinutes(1) });
    saveAdmission({ productId: 2, token: 'd.e.f', expiresAt: inMinutes(10) });
    forgetAdmissions([2]);
    expect(admissionHeaders()).toEqual({ 'Admission-Token': 'a.b.c' });
    vi.useFakeTimers({ now: Date.now() + 2 * 60_000 });
    expect(admissionHeaders()).toEqual({});
  });

  it('survives a damaged store', () => {
    localStorage.setItem('edge-shop.admissions', '{not json');
    expect(admissionHeaders()).toEqual({});
    saveAdmission({ productId: 3, token: 'j.k.l', expiresAt: inMinutes(10) });
    expect(admissionHeaders()).toEqual({ 'Admission-Token': 'j.k.l' });
    // A checkout of the whole cart forgets them all.
    forgetAdmissions();
    expect(admissionHeaders()).toEqual({});
  });
});
