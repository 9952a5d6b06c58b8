import { returnStock } from '@/catalog';
import { getConfig, type AppEnv } from '@/env';
import type { PaymentDeps } from '@/payments';
import { createDb, withTransaction } from '@/platform/db';
import { createLogger, type Logger } from '@/platform/logger';
import type { ReturnDeps } from '@/returns/service';

/**
 * The real collaborators of returns: Postgres, the payment provider's gateway and the products' StockDOs. The
 * composition layer passes the gateway the payments domain uses, so a return's refund is asked of the provider and
 * confirmed by its signed webhook like any other refund (the simulated provider's too).
 */
export function returnDepsFromEnv(env: AppEnv, gateway: PaymentDeps['gateway'], logger?: Logger): ReturnDeps {
  const db = createDb(env);
  const transaction: ReturnDeps['transaction'] = (fn) => withTransaction(env, fn);
  return {
    db,
    transaction,
    payments: { db, gateway, transaction },
    stock: { returnUnits: (returnId, lines) => returnStock(env, returnId, lines) },
    logger: logger ?? createLogger(getConfig(env).LOG_LEVEL, { domain: 'returns' }),
  };
}
