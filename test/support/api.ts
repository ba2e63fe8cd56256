/** The server's HTTP API from a test: one call, status and parsed body back. */
export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export async function api<T = Record<string, unknown>>(
  baseUrl: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(baseUrl + path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed as T, text, headers: response.headers };
}

/** A shared comment as a client proposes it. */
export function commentDraft(id: string, body: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    kind: 'comment',
    body,
    target: { page: 3, selectors: [{ type: 'TextQuoteSelector', exact: 'budget', prefix: '', suffix: '' }] },
    ...extra,
  };
}
