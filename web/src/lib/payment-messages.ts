/** The provider's decline code (in a payment's failure reason, or a form's error) as advice for the buyer. */
export function declineMessage(failureReason: string): string {
  if (failureReason.includes('authentication_required')) return 'Your bank asks you to confirm this payment with your saved card.';
  if (failureReason.includes('insufficient_funds')) return 'Your last card has insufficient funds. Try another card.';
  if (failureReason.includes('authentication_failed') || failureReason.includes('authentication_failure')) return 'The 3-D Secure check of your last card failed. Try again or use another card.';
  return 'Your last card was declined. Try another card.';
}
