/** The tax domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { TableTaxCalculator, taxCalculatorFromEnv } from './calculator';
export type { TaxCalculator } from './calculator';
