/**
 * A stand-in for the real provider's HTTP API in contract tests: answers every request with one recorded response
 * (test/support/stripe/*.json) and keeps each request as the provider would read it — path, method, headers, form.
 */
export type RecordedRequest = { url: string; method: string; headers: Record<string, string>; form: URLSearchParams };

export function recordedProvider(status: number, body: unknown) {
  const requests: RecordedRequest[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    requests.push({ url, method: init.method ?? 'GET', headers: init.headers as Record<string, string>, form: new URLSearchParams(typeof init.body === 'string' ? init.body : '') });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'request-id': 'req_a1B2c3D4e5F6g7' } });
  };
  return { requests, fetch };
}
