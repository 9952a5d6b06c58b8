import { describe, expect, it } from 'vitest';

import { computeTax, includedTaxOf, pricesIncludeTaxFromEnv, ProviderTaxCalculator, resolveRatePpm, taxCalculatorFromEnv, TableTaxCalculator, taxOf, type TaxRateRule } from '@/tax/calculator';
import { AppError } from '@/platform/errors';

const rates: TaxRateRule[] = [
  { country: 'US', region: null, categoryId: null, appliesTo: 'goods', ratePpm: 50_000 },
  { country: 'US', region: 'CA', categoryId: null, appliesTo: 'goods', ratePpm: 72_500 },
  { country: 'US', region: null, categoryId: 7, appliesTo: 'goods', ratePpm: 0 },
  { country: 'US', region: 'NY', categoryId: 7, appliesTo: 'goods', ratePpm: 20_000 },
  { country: 'US', region: null, categoryId: null, appliesTo: 'shipping', ratePpm: 10_000 },
];

describe('resolveRatePpm', () => {
  it('picks region + category, then country + category, then region, then country; 0 elsewhere', () => {
    expect(resolveRatePpm(rates, { country: 'us', state: ' ny ' }, { kind: 'goods', categoryId: 7 })).toBe(20_000);
    expect(resolveRatePpm(rates, { country: 'US', state: 'CA' }, { kind: 'goods', categoryId: 7 })).toBe(0);
    expect(resolveRatePpm(rates, { country: 'US', state: 'CA' }, { kind: 'goods', categoryId: 1 })).toBe(72_500);
    expect(resolveRatePpm(rates, { country: 'US', state: 'TX' }, { kind: 'goods', categoryId: null })).toBe(50_000);
    expect(resolveRatePpm(rates, { country: 'Vietnam', state: 'HCM' }, { kind: 'goods', categoryId: null })).toBe(0);
  });

  it('taxes shipping only at a shipping rate', () => {
    expect(resolveRatePpm(rates, { country: 'US', state: 'CA' }, { kind: 'shipping', categoryId: null })).toBe(10_000);
    expect(resolveRatePpm(rates.filter((r) => r.appliesTo === 'goods'), { country: 'US', state: 'CA' }, { kind: 'shipping', categoryId: null })).toBe(0);
  });
});

describe('computeTax', () => {
  it('taxes each amount once per line, rounded half up', () => {
    expect(taxOf(1999, 72_500)).toBe(145); // 144.9275
    expect(taxOf(200, 72_500)).toBe(15); // 14.5 → 15
    const taxes = computeTax(rates, { country: 'US', state: 'CA' }, [
      { id: 'a', kind: 'goods', categoryId: null, amountCents: 1999 },
      { id: 's', kind: 'shipping', categoryId: null, amountCents: 300 },
    ]);
    expect(Object.fromEntries(taxes)).toEqual({ a: 145, s: 3 });
  });

  it('with tax-inclusive prices, takes the tax out of each amount instead of adding it', () => {
    expect(includedTaxOf(1100, 100_000)).toBe(100); // 11.00 at 10 % contains 1.00
    expect(includedTaxOf(1999, 72_500)).toBe(135); // 134.8 → 135
    expect(includedTaxOf(1, 200_000)).toBe(0);
    const taxes = computeTax(rates, { country: 'US', state: 'CA' }, [
      { id: 'a', kind: 'goods', categoryId: null, amountCents: 1999 },
      { id: 's', kind: 'shipping', categoryId: null, amountCents: 303 },
    ], true);
    expect(Object.fromEntries(taxes)).toEqual({ a: 135, s: 3 });
    // Net + included tax gives back the price, and the same net taxed on top gives the same tax (to the cent).
    for (const gross of [1, 99, 1000, 1999, 123_457]) {
      const tax = includedTaxOf(gross, 72_500);
      expect(Math.abs(taxOf(gross - tax, 72_500) - tax)).toBeLessThanOrEqual(1);
    }
  });
});

describe('configuration', () => {
  it('chooses the table by default and the provider by TAX_CALCULATOR; bad values fail loudly', () => {
    const q = {} as never;
    expect(taxCalculatorFromEnv({}, q)).toBeInstanceOf(TableTaxCalculator);
    expect(taxCalculatorFromEnv({ TAX_CALCULATOR: 'provider', TAX_PROVIDER_URL: 'http://127.0.0.1:9/tax' }, q)).toBeInstanceOf(ProviderTaxCalculator);
    expect(() => taxCalculatorFromEnv({ TAX_CALCULATOR: 'provider', TAX_PROVIDER_URL: '' }, q)).toThrow(/TAX_PROVIDER_URL/);
    expect(() => taxCalculatorFromEnv({ TAX_CALCULATOR: 'guess' }, q)).toThrow(/table or provider/);
    expect(pricesIncludeTaxFromEnv(undefined)).toBe(false);
    expect(pricesIncludeTaxFromEnv(' TRUE ')).toBe(true);
    expect(() => pricesIncludeTaxFromEnv('yes')).toThrow(/true or false/);
    expect(taxCalculatorFromEnv({ PRICES_INCLUDE_TAX: 'true' }, q).pricesIncludeTax).toBe(true);
    expect(taxCalculatorFromEnv({ TAX_CALCULATOR: 'provider', TAX_PROVIDER_URL: 'http://127.0.0.1:9/tax', PRICES_INCLUDE_TAX: 'true' }, q).pricesIncludeTax).toBe(true);
    expect(taxCalculatorFromEnv({}, q).pricesIncludeTax).toBe(false);
  });

  it('the provider adapter maps its answer per item and turns a failure or a partial answer into 503, never a guess', async () => {
    const seen: unknown[] = [];
    const ok = new ProviderTaxCalculator({
      url: 'http://tax.test/calc',
      apiKey: 'k',
      fetch: (async (_url: string, init: RequestInit) => {
        seen.push(JSON.parse(String(init.body)));
        return Response.json({ taxes: [{ id: 'a', taxCents: 12 }] });
      }) as unknown as typeof fetch,
    });
    const taxes = await ok.calculate({ country: 'US', state: 'CA' }, [{ id: 'a', kind: 'goods', categoryId: null, amountCents: 100 }]);
    expect(taxes.get('a')).toBe(12);
    expect(seen[0]).toMatchObject({ address: { country: 'US' }, items: [{ id: 'a', amountCents: 100 }], pricesIncludeTax: false });
    const partial = ok.calculate({ country: 'US', state: 'CA' }, [{ id: 'a', kind: 'goods', categoryId: null, amountCents: 100 }, { id: 'b', kind: 'shipping', categoryId: null, amountCents: 5 }]);
    await expect(partial).rejects.toMatchObject({ status: 503, code: 'TAX_UNAVAILABLE' });
    const down = new ProviderTaxCalculator({ url: 'http://tax.test/calc', fetch: (async () => new Response('no', { status: 502 })) as unknown as typeof fetch });
    await expect(down.calculate({ country: 'US', state: 'CA' }, [{ id: 'a', kind: 'goods', categoryId: null, amountCents: 1 }])).rejects.toBeInstanceOf(AppError);
  });
});
