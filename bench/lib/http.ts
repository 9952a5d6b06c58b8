import { SAMPLE_USERS } from '../../scripts/db/seed-data.ts';

export interface Answer {
  status: number;
  body: unknown;
  ms: number;
}

/** A distinct client address per logical client, so the per-IP limiters do not take part in a benchmark. */
export const clientIp = (i: number) => `10.88.${(i >> 8) & 255}.${i & 255}`;

/** One JSON call to a local instance, timed; the body is parsed when it is JSON and kept as text otherwise. */
export async function call(baseUrl: string, path: string, init: RequestInit & { token?: string; client: number }): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      'cf-connecting-ip': clientIp(init.client),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body, ms: performance.now() - started };
}

export function sampleUser(email: string): { email: string; password: string } {
  const found = SAMPLE_USERS.find((candidate) => candidate.email === email);
  if (!found) throw new Error(`the seed has no ${email}`);
  return found;
}

export async function login(baseUrl: string, account: { email: string; password: string }, client: number): Promise<string> {
  const answer = await call(baseUrl, '/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email: account.email, password: account.password }), client });
  if (answer.status !== 200) throw new Error(`login of ${account.email} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return (answer.body as { data: { access_token: string } }).data.access_token;
}

/**
 * A bearer token that stays valid through a long run: logs in again once the last token is 10 minutes old
 * (access tokens live 15), so a 10,000-order run is never answered 401.
 */
export function signedIn(baseUrl: string, account: { email: string; password: string }, client: number): () => Promise<string> {
  let current: { token: Promise<string>; at: number } | undefined;
  return () => {
    if (!current || Date.now() - current.at > 600_000) current = { token: login(baseUrl, account, client), at: Date.now() };
    return current.token;
  };
}
