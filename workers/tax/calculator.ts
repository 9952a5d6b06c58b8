import { z } from 'zod';
import { sql } from 'drizzle-orm';

import { mulDivRound } from '@/promotions';
import type { Queryable } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { taxRates, type TaxAppliesTo } from '@/tax/tables';

/**
 * Tax behind one interface (docs/decisions/promotions.md), chosen by `TAX_CALCULATOR` like the payment gateway by
 * `PAYMENT_GATEWAY_MODE`: `table` (the admin's rates in `tax_rates`) or `provider` (an HTTP tax service at
 * `TAX_PROVIDER_URL`). `PRICES_INCLUDE_TAX` says what a price is: tax-exclusive (the default; each item's tax is added
 * on top of its discounted amount) or tax-inclusive (the tax is the part of the discounted amount that is tax, and
 * nothing is added).
 */

export interface TaxAddress {
  country: string;
  state: string;
}

/** One taxable amount: an order line after its discount, or one seller's shipping after its discount. */
export interface TaxItem {
  id: string;
  kind: TaxAppliesTo;
  categoryId: number | null;
  amountCents: number;
}

export interface TaxCalculator {
  /** True when amounts already contain their tax: the tax is reported, never added to the total. */
  readonly pricesIncludeTax: boolean;
  /** Tax in cents per item id (every id present, 0 where nothing is due). */
  calculate(address: TaxAddress, items: readonly TaxItem[]): Promise<Map<string, number>>;
}

export interface TaxRateRule {
  country: string;
  region: string | null;
  categoryId: number | null;
  appliesTo: TaxAppliesTo;
  ratePpm: number;
}

const norm = (value: string) => value.trim().toLowerCase();

/**
 * The rate for one item, most specific first: region + category, country + category, region default, country default
 * (shipping: region, then country, of its own kind); 0 when none matches.
 */
export function resolveRatePpm(rates: readonly TaxRateRule[], address: TaxAddress, item: Pick<TaxItem, 'kind' | 'categoryId'>): number {
  const country = norm(address.country);
  const region = norm(address.state);
  const candidates = rates.filter((r) => norm(r.country) === country && r.appliesTo === item.kind && (r.region === null || norm(r.region) === region));
  const pick = (regional: boolean, category: boolean) =>
    candidates.find((r) => (r.region !== null) === regional && (category ? r.categoryId !== null && r.categoryId === item.categoryId : r.categoryId === null));
  const rule = (item.categoryId !== null ? (pick(true, true) ?? pick(false, true)) : undefined) ?? pick(true, false) ?? pick(false, false);
  return rule?.ratePpm ?? 0;
}

/** Tax on top of a tax-exclusive amount at a rate in parts per million, rounded half up (per line, never per unit). */
export const taxOf = (amountCents: number, ratePpm: number) => mulDivRound(amountCents, ratePpm, 1_000_000);

/** The tax contained in a tax-inclusive amount: amount × rate / (1 + rate), rounded half up (per line). */
export const includedTaxOf = (amountCents: number, ratePpm: number) => mulDivRound(amountCents, ratePpm, 1_000_000 + ratePpm);

/** Pure: every item's tax from a list of rates, on top of the amounts or contained in them. */
export function computeTax(rates: readonly TaxRateRule[], address: TaxAddress, items: readonly TaxItem[], pricesIncludeTax = false): Map<string, number> {
  const tax = pricesIncludeTax ? includedTaxOf : taxOf;
  return new Map(items.map((item) => [item.id, tax(item.amountCents, resolveRatePpm(rates, address, item))]));
}

/** The admin's rates table. */
export class TableTaxCalculator implements TaxCalculator {
  constructor(
    private readonly q: Queryable,
    readonly pricesIncludeTax = false,
  ) {}

  async calculate(address: TaxAddress, items: readonly TaxItem[]): Promise<Map<string, number>> {
    if (items.length === 0) return new Map();
    const rates = await this.q.select().from(taxRates).where(sql`lower(${taxRates.country}) = ${norm(address.country)}`);
    return computeTax(rates, address, items, this.pricesIncludeTax);
  }
}

const providerAnswer = z.object({ taxes: z.array(z.object({ id: z.string(), taxCents: z.number().int().min(0) })) });

/**
 * An external tax service: `POST {url}` with `{ address, items, pricesIncludeTax }`, answering
 * `{ taxes: [{ id, taxCents }] }` (with `pricesIncludeTax`, each tax is the part of the amount that is tax). A failure
 * is a 503 (nothing is reserved or charged: the buyer may try again), never a guessed tax.
 */
export class ProviderTaxCalculator implements TaxCalculator {
  readonly pricesIncludeTax: boolean;

  constructor(private readonly options: { url: string; apiKey?: string | undefined; fetch?: typeof fetch; timeoutMs?: number; pricesIncludeTax?: boolean }) {
    this.pricesIncludeTax = options.pricesIncludeTax ?? false;
  }

  async calculate(address: TaxAddress, items: readonly TaxItem[]): Promise<Map<string, number>> {
    if (items.length === 0) return new Map();
    const doFetch = this.options.fetch ?? fetch;
    let body: unknown;
    try {
      const res = await doFetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
        body: JSON.stringify({ address, items, pricesIncludeTax: this.pricesIncludeTax }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
      if (!res.ok) throw new Error(`tax provider answered ${res.status}`);
      body = await res.json();
    } catch {
      throw new AppError(503, 'TAX_UNAVAILABLE', 'Tax could not be calculated right now; nothing was charged, please try again');
    }
    const parsed = providerAnswer.safeParse(body);
    const taxes = new Map(parsed.success ? parsed.data.taxes.map((t) => [t.id, t.taxCents]) : []);
    if (!parsed.success || items.some((item) => !taxes.has(item.id))) throw new AppError(503, 'TAX_UNAVAILABLE', 'The tax provider gave an incomplete answer; nothing was charged, please try again');
    return new Map(items.map((item) => [item.id, taxes.get(item.id)!]));
  }
}

/**
 * `TAX_CALCULATOR`: `table` (default) or `provider` (needs `TAX_PROVIDER_URL`); `PRICES_INCLUDE_TAX`: `false` (default)
 * or `true`. Anything else fails loudly.
 */
export function taxCalculatorFromEnv(
  env: { TAX_CALCULATOR?: string; TAX_PROVIDER_URL?: string; TAX_PROVIDER_API_KEY?: string | undefined; PRICES_INCLUDE_TAX?: string },
  q: Queryable,
): TaxCalculator {
  const pricesIncludeTax = pricesIncludeTaxFromEnv(env.PRICES_INCLUDE_TAX);
  const mode = (env.TAX_CALCULATOR ?? 'table').trim().toLowerCase();
  if (mode === 'table' || mode === '') return new TableTaxCalculator(q, pricesIncludeTax);
  if (mode === 'provider') {
    if (!env.TAX_PROVIDER_URL) throw new Error('TAX_CALCULATOR = "provider" needs TAX_PROVIDER_URL');
    return new ProviderTaxCalculator({ url: env.TAX_PROVIDER_URL, apiKey: env.TAX_PROVIDER_API_KEY, pricesIncludeTax });
  }
  throw new Error(`TAX_CALCULATOR must be table or provider, got "${env.TAX_CALCULATOR}"`);
}

/** `PRICES_INCLUDE_TAX`: whether catalog and shipping prices include tax (`false`, the default, or `true`). */
export function pricesIncludeTaxFromEnv(value: string | undefined): boolean {
  const v = (value ?? 'false').trim().toLowerCase();
  if (v === 'false' || v === '' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new Error(`PRICES_INCLUDE_TAX must be true or false, got "${value}"`);
}
