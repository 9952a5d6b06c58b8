/**
 * Admissions to buy launched products (docs/decisions/flash-sales.md, "Waiting room"): the waiting page stores
 * the one it is given, and the order and checkout requests send every unexpired one as `Admission-Token` (the
 * server reads those of the products being bought and ignores the rest). Kept in localStorage so a reload or
 * another tab of the buyer still has it; the place in line itself is kept by the server.
 */
const KEY = 'edge-shop.admissions';
const MAX_SENT = 10;

interface StoredAdmission {
  productId: number;
  token: string;
  expiresAt: string;
}

function read(): StoredAdmission[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as StoredAdmission[]).filter((a) => Date.parse(a.expiresAt) > Date.now()) : [];
  } catch {
    return [];
  }
}

function write(admissions: StoredAdmission[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(admissions));
  } catch {
    // Storage full or disabled: the order will be refused with ADMISSION_REQUIRED and the page says why.
  }
}

export function saveAdmission(admission: StoredAdmission): void {
  write([...read().filter((a) => a.productId !== admission.productId), admission]);
}

/** Drops the admissions of these products (after an order used them), or all of them. */
export function forgetAdmissions(productIds?: readonly number[]): void {
  write(productIds ? read().filter((a) => !productIds.includes(a.productId)) : []);
}

/** `{ 'Admission-Token': … }` with every unexpired admission, or nothing. */
export function admissionHeaders(): Record<string, string> {
  const tokens = read()
    .slice(-MAX_SENT)
    .map((a) => a.token);
  return tokens.length > 0 ? { 'Admission-Token': tokens.join(',') } : {};
}
