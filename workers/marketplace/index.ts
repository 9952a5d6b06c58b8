/** The marketplace domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { DEFAULT_COMMISSION_BPS, commissionBpsFromEnv, commissionCents } from './commission';
export { awaitingRelease, recordRefund, recordRelease, recordReturnRefund, recordSale, RELEASE_AFTER_SHIPPING_DAYS, releaseEarnings } from './ledger';
export { PLATFORM_DEFAULT_SHIPPING_ID, resolveShipping } from './shipping';
