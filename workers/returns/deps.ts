import { returnStock } from '@/catalog';
import { getConfig, type AppEnv } from '@/env';
import { gatewayFromEnv } from '@/payments';
import { createDb, withTransaction } from '@/platform/db';
import { createLogger, type Logger } from '@/platform/logger';
import type { ReturnDeps } from '@/returns/service';

/** The real collaborators of returns: Postgres, the configured payment gateway and the products' StockDOs. */
export function returnDepsFromEnv(env: AppEnv, logger?: Logger): ReturnDeps {
  const db = createDb(env);
  const transaction: ReturnDeps['transaction'] = (fn) => withTransaction(env, fn);
  return {
    db,
    transaction,
    payments: { db, gateway: gatewayFromEnv(env), transaction },
    stock: { returnUnits: (returnId, lines) => returnStock(env, returnId, lines) },
    logger: logger ?? createLogger(getConfig(env).LOG_LEVEL, { domain: 'returns' }),
  };
}
