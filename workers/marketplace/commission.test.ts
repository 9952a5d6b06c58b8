import { describe, expect, it } from 'vitest';

import { commissionShareCents } from '@/marketplace/commission';

describe('commissionShareCents', () => {
  it("prorates the platform's commission by the refunded part", () => {
    expect(commissionShareCents(1000, { totalCents: 4000, commissionCents: 400 })).toBe(100);
    expect(commissionShareCents(1000, { totalCents: 0, commissionCents: 0 })).toBe(0);
  });
});
