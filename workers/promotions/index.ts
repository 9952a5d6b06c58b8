/** The promotions domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { bestPerLine, isRefusal, mulDivRound, promotionEffect } from './discount';
export type { DiscountLine, PromotionEffect, Refusal, RefusalCode } from './discount';
export { loadCandidates, redeemPromotions, releasePromotionUses, toRule } from './service';
export type { PromotionUse } from './service';
