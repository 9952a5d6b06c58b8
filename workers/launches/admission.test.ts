import { describe, expect, it } from 'vitest';

import { reserveAdmitted, type AdmissionGate } from '@/launches/admission';
import { AppError } from '@/platform/errors';

/** A gate that records what the order did with its admissions. */
function recordingGate(claimError?: Error) {
  const calls: string[] = [];
  const gate: AdmissionGate = {
    claim: async (orderId) => {
      calls.push(`claim ${orderId}`);
      if (claimError) throw claimError;
    },
    restore: async (orderId) => {
      calls.push(`restore ${orderId}`);
    },
  };
  return { gate, calls };
}

describe('reserveAdmitted', () => {
  it('claims the admissions before the stock step and keeps them when it succeeds', async () => {
    const { gate, calls } = recordingGate();
    const steps: string[] = [];
    await reserveAdmitted(gate, 'o1', async () => {
      steps.push(`reserve after ${calls.join(', ')}`);
    });
    expect(steps).toEqual(['reserve after claim o1']);
    expect(calls).toEqual(['claim o1']);
  });

  it('keeps them used after a stock shortage (the ticket is done), gives them back after any other failure', async () => {
    const short = recordingGate();
    const shortage = new AppError(409, 'INSUFFICIENT_STOCK', 'sold out');
    await expect(reserveAdmitted(short.gate, 'o2', () => Promise.reject(shortage))).rejects.toBe(shortage);
    expect(short.calls).toEqual(['claim o2']);

    const broken = recordingGate();
    const outage = new Error('stock object unreachable');
    await expect(reserveAdmitted(broken.gate, 'o3', () => Promise.reject(outage))).rejects.toBe(outage);
    expect(broken.calls).toEqual(['claim o3', 'restore o3']);
  });

  it('never reaches the stock step when the claim is refused (a used admission)', async () => {
    const used = new AppError(409, 'ADMISSION_USED', 'used');
    const { gate } = recordingGate(used);
    let reserved = false;
    await expect(
      reserveAdmitted(gate, 'o4', async () => {
        reserved = true;
      }),
    ).rejects.toBe(used);
    expect(reserved).toBe(false);
  });

  it('runs the stock step alone for an order without launched products', async () => {
    expect(await reserveAdmitted(undefined, 'o5', async () => 'reserved')).toBe('reserved');
  });
});
