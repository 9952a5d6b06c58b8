import { describe, expect, it } from 'vitest';

import { withPasswordSlot } from '@/identity/overload';
import { AppError } from '@/platform/errors';

describe('withPasswordSlot', () => {
  it('refuses work beyond the limit at once with 503 SERVICE_OVERLOADED and Retry-After, and frees slots afterwards', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = [withPasswordSlot(() => gate, 2), withPasswordSlot(() => gate, 2)];
    const refused = await withPasswordSlot(async () => 'ran', 2).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 503, code: 'SERVICE_OVERLOADED', headers: { 'Retry-After': '1' } });
    release();
    await Promise.all(running);
    await expect(withPasswordSlot(async () => 'ran', 2)).resolves.toBe('ran');
  });

  it('frees the slot when the work fails', async () => {
    await expect(withPasswordSlot(() => Promise.reject(new Error('boom')), 1)).rejects.toThrow('boom');
    await expect(withPasswordSlot(async () => 'ran', 1)).resolves.toBe('ran');
  });
});
