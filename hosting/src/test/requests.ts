/**
 * Reading back what a stubbed fetch was asked for. The API client (openapi-fetch) passes a Request;
 * other callers pass a URL string and an init. Tests compare paths, not the test page's origin.
 */

/** A request as a test reads it: path and query, method, headers (lower-case names), body text. */
export interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

function pathOf(url: string): string {
  const parsed = new URL(url, window.location.origin);
  return parsed.pathname + parsed.search;
}

/** The path and query a stubbed fetch was asked for. */
export function requestPath(input: RequestInfo | URL): string {
  return pathOf(input instanceof Request ? input.url : String(input));
}

/** Everything a stubbed fetch was asked to send. */
export async function readRequest(input: RequestInfo | URL, init?: RequestInit): Promise<SentRequest> {
  if (input instanceof Request) {
    return {
      url: pathOf(input.url),
      method: input.method,
      headers: Object.fromEntries(input.headers.entries()),
      body: await input.clone().text(),
    };
  }
  return {
    url: pathOf(String(input)),
    method: init?.method ?? 'GET',
    headers: Object.fromEntries(new Headers(init?.headers).entries()),
    body: typeof init?.body === 'string' ? init.body : '',
  };
}
