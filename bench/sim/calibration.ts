/**
 * What one stock shard serves on this machine, for `npm run sim:scale`'s calibration line: `bench:flash`'s figures
 * when `bench/results/flash.json` exists, else the `bench:stock` figure in docs/BENCHMARKS.md, else a constant
 * measured here (docs/decisions/scale.md describes the file).
 */
import { existsSync, readFileSync } from 'node:fs';

import { z } from 'zod';

const flashResultSchema = z.object({
  /** Stock calls per second one shard answered (reserve, commit, release, borrow). */
  perShardRequestsPerSecond: z.number().positive(),
  shards: z.number().int().positive(),
  /** Checkouts per second offered and answered (201 or 409) by the flash run. */
  offeredCheckoutsPerSecond: z.number().positive().optional(),
  measuredCheckoutsPerSecond: z.number().positive(),
  measuredAt: z.string().optional(),
});

export type FlashResult = z.infer<typeof flashResultSchema>;

export interface Calibration {
  source: string;
  perShardRequestsPerSecond: number;
  shards: number;
  /** Checkouts per second measured at that scale (null: only the per-shard figure is known). */
  measuredCheckoutsPerSecond: number | null;
}

/** `bench:stock` on 2 × AMD EPYC (docs/BENCHMARKS.md, 2026-11-25): 500 orders through one StockDO at 104.9 answers/s. */
export const MEASURED_HERE: Calibration = { source: 'bench:stock constant (one StockDO, 104.9 order answers/s)', perShardRequestsPerSecond: 104.9, shards: 1, measuredCheckoutsPerSecond: 104.9 };

const STOCK_LINE = /order answers per second \(all \d+, [\d.]+ s\) \| ([\d.]+)/;

/** The calibration to use, from the first source present: the flash result file, the stock section, the constant. */
export function loadCalibration(flashFile: string, benchmarksFile: string): Calibration {
  if (existsSync(flashFile)) {
    const parsed = flashResultSchema.safeParse(JSON.parse(readFileSync(flashFile, 'utf8')));
    if (parsed.success) {
      const flash = parsed.data;
      return { source: `bench:flash (${flashFile.split('/').slice(-3).join('/')}${flash.measuredAt ? `, ${flash.measuredAt}` : ''})`, perShardRequestsPerSecond: flash.perShardRequestsPerSecond, shards: flash.shards, measuredCheckoutsPerSecond: flash.measuredCheckoutsPerSecond };
    }
    console.warn(`ignoring ${flashFile}: ${parsed.error.message}`);
  }
  if (existsSync(benchmarksFile)) {
    const match = STOCK_LINE.exec(readFileSync(benchmarksFile, 'utf8'));
    if (match) {
      const rate = Number(match[1]);
      return { source: `bench:stock section of docs/BENCHMARKS.md (one StockDO, ${rate} order answers/s)`, perShardRequestsPerSecond: rate, shards: 1, measuredCheckoutsPerSecond: rate };
    }
  }
  return MEASURED_HERE;
}
