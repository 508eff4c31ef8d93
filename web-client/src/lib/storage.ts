/** get/set/remove that never throw (private browsing, storage disabled, quota) and fall back to memory. */
export interface SafeStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export function safeStorage(kind: 'local' | 'session'): SafeStorage {
  const memory = new Map<string, string>();
  let storage: Storage | null = null;
  try {
    storage = kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
  } catch {
    storage = null;
  }
  return {
    get(key) {
      try {
        if (storage) return storage.getItem(key);
      } catch {
        /* fall through */
      }
      return memory.get(key) ?? null;
    },
    set(key, value) {
      memory.set(key, value);
      try {
        storage?.setItem(key, value);
      } catch {
        /* memory keeps it for this page */
      }
    },
    remove(key) {
      memory.delete(key);
      try {
        storage?.removeItem(key);
      } catch {
        /* ignore */
      }
    },
  };
}

export function memoryStorage(): SafeStorage {
  const memory = new Map<string, string>();
  return {
    get: (key) => memory.get(key) ?? null,
    set: (key, value) => void memory.set(key, value),
    remove: (key) => void memory.delete(key),
  };
}
