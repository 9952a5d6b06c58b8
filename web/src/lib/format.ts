import { amountToCents, centsToAmount } from '@contract/money';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** Wire amounts are 2-decimal numbers; this only formats them. */
export const formatPrice = (amount: number) => usd.format(amount);

/** The tax row's label: a shop whose prices include tax shows the tax inside the total instead of adding it. */
export const taxLabel = (totals: { taxIncluded: boolean } | undefined) => (totals?.taxIncluded ? 'Tax (included in prices)' : 'Tax');

export const formatDate = (iso: string) => dateFormat.format(new Date(iso));

export const formatDateTime = (iso: string) => dateTimeFormat.format(new Date(iso));

/** The short order number, as the server writes it in notifications: the id's last 8 hex characters (see docs/decisions.md). */
export const shortId = (id: string) => id.replace(/-/g, '').slice(-8).toUpperCase();

export const pluralize = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** Money math in the SPA (subtotals of a cart group) is done in cents so 0.1 + 0.2 never shows up. */
export const sumAmounts = (amounts: number[]) => centsToAmount(amounts.reduce((sum, a) => sum + amountToCents(a), 0));
