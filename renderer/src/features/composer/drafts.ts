/** The bit of Web Storage drafts need; localStorage in the app, a Map in tests. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const KEY = 'switchboard.drafts';

/** Drafts per thread id; a corrupt entry is dropped rather than breaking the composer. */
export function loadDrafts(storage: KeyValueStorage): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

export function saveDrafts(storage: KeyValueStorage, drafts: Record<string, string>): void {
  const nonEmpty = Object.fromEntries(Object.entries(drafts).filter(([, text]) => text.length > 0));
  storage.setItem(KEY, JSON.stringify(nonEmpty));
}

export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}
