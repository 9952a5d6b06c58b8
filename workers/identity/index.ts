/** The identity domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { currentSessionVersion, currentUser, optionalAuth, requireAuth, requireAuthBesideHandler, sessionProven } from './auth';
export { publicDisplayNames } from './display-names';
export type { EmailSender } from './email';
export { accountKeyOf, allLoginFailuresOf, deleteLoginRecords, pairKeyPrefix } from './lockout';
export { sha256Hex, sixDigitCode } from './secrets';
export { VERIFICATION_CODE_TTL_MS, verificationEmail } from './registration';
export { signScopedToken, verifyScopedToken } from './tokens';
