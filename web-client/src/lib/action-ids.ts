const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random string from [a-z0-9]; uses crypto.getRandomValues, which (unlike randomUUID) also works on plain http. */
export function randomString(length: number): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/**
 * Client action ids: a random prefix per page load plus a counter, e.g. `k3f9x2m1qa-1`. They match
 * the protocol's `[A-Za-z0-9_\-:.]{1,64}` and stay unique per participant across reloads, which
 * matters because the server remembers applied ids for a day.
 */
export function createActionIdFactory(prefix: string = randomString(10)): () => string {
  let counter = 0;
  return () => `${prefix}-${(++counter).toString(36)}`;
}

export const ACTION_ID_PATTERN = /^[A-Za-z0-9_\-:.]{1,64}$/;
