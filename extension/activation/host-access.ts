/**
 * Access to a host (to run the page script there, and to fetch a packet from it with the user's
 * cookies) is optional: the manifest lists every http(s) site under optional_host_permissions and
 * the extension asks for one host at a time, when the user adds it. Browsers let an extension ask
 * only while it handles the user's click or key, so `requestHostAccess` must be called before
 * anything is awaited in that handler.
 */

export interface PermissionsLike {
  contains(permissions: { origins: string[] }): Promise<boolean>;
  request(permissions: { origins: string[] }): Promise<boolean>;
}

/**
 * Asks for access to every pattern (the browser asks the user only about those not yet granted).
 * Outside a user's action the browser refuses to ask: then the answer is whether it is granted already.
 */
export function requestHostAccess(permissions: PermissionsLike, patterns: string[]): Promise<boolean> {
  if (patterns.length === 0) return Promise.resolve(true);
  let asked: Promise<boolean>;
  try {
    asked = permissions.request({ origins: patterns });
  } catch (error) {
    asked = Promise.reject(error);
  }
  return asked.catch(() => permissions.contains({ origins: patterns }).catch(() => false));
}

/** The patterns the extension may not use yet. */
export async function patternsWithoutAccess(permissions: PermissionsLike, patterns: string[]): Promise<string[]> {
  const granted = await Promise.all(patterns.map((origin) => permissions.contains({ origins: [origin] }).catch(() => false)));
  return patterns.filter((_, i) => !granted[i]);
}
