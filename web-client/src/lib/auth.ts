import type { SafeStorage } from './storage';

export const ORGANISER_TOKEN_KEY = 'plenum.organiserToken';

/**
 * Takes `#token=…` from the address once: stores it in session storage and removes it from the
 * address bar and history, so it is not bookmarked, shared by copy-paste or shown on screen.
 * A token never goes into a query string (servers and proxies log those).
 */
export function takeTokenFromFragment(
  location: { href: string; hash: string },
  history: { replaceState(data: unknown, unused: string, url?: string | URL | null): void },
  storage: SafeStorage,
): string | null {
  if (!location.hash || location.hash.length < 2) return storage.get(ORGANISER_TOKEN_KEY);
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('token');
  if (token === null) return storage.get(ORGANISER_TOKEN_KEY);
  params.delete('token');
  const url = new URL(location.href);
  const rest = params.toString();
  url.hash = rest ? `#${rest}` : '';
  history.replaceState(null, '', url.toString());
  const trimmed = token.trim();
  if (trimmed) storage.set(ORGANISER_TOKEN_KEY, trimmed);
  return trimmed || storage.get(ORGANISER_TOKEN_KEY);
}
