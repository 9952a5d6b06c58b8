import { describe, expect, it } from 'vitest';

import { shortOrderNumber } from '@/notifications/service';
import { newId } from '@/platform/columns';

describe('shortOrderNumber', () => {
  it('tells apart orders placed in the same instant (UUIDv7 ids share their leading timestamp)', () => {
    const ids = Array.from({ length: 50 }, () => newId());
    expect(new Set(ids.map(shortOrderNumber)).size).toBe(50);
    expect(shortOrderNumber('01a212fb-2ced-73e1-9eff-705903279e8b')).toBe('03279E8B');
  });
});
