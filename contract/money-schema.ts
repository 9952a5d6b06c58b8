import { z } from 'zod';

import { hasAtMostTwoDecimals } from './money';

/** A 2-decimal amount from 0 (or above 0 with `positive`) up to `max`. */
export const moneyAmount = (max: number, { positive = false, negativeMessage }: { positive?: boolean; negativeMessage?: string } = {}) =>
  (positive ? z.number().positive() : z.number().min(0, negativeMessage)).max(max).refine(hasAtMostTwoDecimals, 'must have at most 2 decimal places');
