/**
 * browser.storage.local holds the settings (the token among them) and the local copies of the
 * user's notes. Content scripts run in the web page's process; where the browser allows it,
 * storage.local is closed to them, so a content script (or a compromised page process) cannot read
 * either. Chrome: storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' }) (Chrome 102+),
 * called by the background each time it starts. Firefox supports setAccessLevel for
 * storage.session only (bug 1724754): there the area stays readable to content scripts, and the
 * only protection is that Randnoter's content script never reads it.
 */
import { browser } from 'wxt/browser';

interface AccessControlledArea {
  setAccessLevel?: (options: { accessLevel: 'TRUSTED_CONTEXTS' | 'TRUSTED_AND_UNTRUSTED_CONTEXTS' }) => Promise<void>;
}

/** 'restricted' when content scripts can no longer read storage.local, 'unsupported' when the browser cannot do it. */
export async function restrictStorageToExtension(
  area: AccessControlledArea = browser.storage.local as unknown as AccessControlledArea,
): Promise<'restricted' | 'unsupported'> {
  if (typeof area.setAccessLevel !== 'function') return 'unsupported';
  try {
    await area.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
    return 'restricted';
  } catch {
    return 'unsupported';
  }
}
