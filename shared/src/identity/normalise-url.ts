/**
 * URL normalisation for packet identity: two links to the same packet should compare equal.
 * Lower-case scheme and host, default port dropped, fragment dropped, query sorted, and
 * parameters that identify a visit rather than a document (tracking, session, token) removed.
 */

/** Exact parameter names (lower case) that never identify the document. */
const DROPPED_PARAMS = new Set([
  // tracking
  'fbclid',
  'gclid',
  'dclid',
  'msclkid',
  'mc_cid',
  'mc_eid',
  '_ga',
  '_gl',
  'igshid',
  'ref_src',
  'yclid',
  // sessions and credentials
  'sid',
  'sessionid',
  'session_id',
  'session',
  'jsessionid',
  'phpsessid',
  'aspsessionid',
  'cfid',
  'cftoken',
  'token',
  'access_token',
  'id_token',
  'auth',
  'authtoken',
  'auth_token',
  'apikey',
  'api_key',
  'ticket',
  // signed-URL parameters (expire and differ per visit)
  'signature',
  'sig',
  'expires',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signedheaders',
  'x-amz-algorithm',
]);
const DROPPED_PREFIXES = ['utm_', 'pk_', 'mtm_', 'hsa_'];
const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

function isDropped(name: string): boolean {
  const lower = name.toLowerCase();
  return DROPPED_PARAMS.has(lower) || DROPPED_PREFIXES.some((p) => lower.startsWith(p));
}

/** Null for input that is not an absolute http(s) or file URL. */
export function normaliseUrl(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'file:') return null;
  // URL already lower-cases scheme and host and drops a default port; be explicit about the port anyway.
  if (DEFAULT_PORTS[url.protocol] === url.port) url.port = '';
  url.hash = '';
  url.username = '';
  url.password = '';
  // Path parameters such as ";jsessionid=..." are sessions too.
  url.pathname = url.pathname.replace(/;(jsessionid|sid|phpsessid)=[^/;]*/gi, '');
  const kept = [...url.searchParams.entries()].filter(([name]) => !isDropped(name));
  kept.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  url.search = '';
  for (const [name, value] of kept) url.searchParams.append(name, value);
  return url.toString();
}
