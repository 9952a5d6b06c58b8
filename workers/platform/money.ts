/** Integer cents → the wire's 2-decimal amount (exact for every value we store). */
export const centsToAmount = (cents: number) => Math.round(cents) / 100;
