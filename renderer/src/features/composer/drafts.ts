import { z } from 'zod';
import { attachment } from '../../../../shared/ipc/schemas';

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

const OUTBOX_KEY = 'switchboard.outbox';

/** What of a file chip a waiting message needs to go, or to come back to the box if the engine refuses it. */
const savedChip = z.object({ name: z.string(), size: z.number(), contentType: z.string(), notice: z.string().nullable(), attachment });
const sendOptions = z.object({ sendAt: z.number().nullable(), priority: z.enum(['default', 'high']), tag: z.string() });

/** A message the agent sent that the engine has not answered for yet, as it is kept across a reload. */
const outboxEntry = z.object({
  key: z.string().min(8).max(64),
  target: z.object({ threadId: z.string().min(1), from: z.string(), to: z.array(z.string()) }),
  text: z.string(),
  chips: z.array(savedChip),
  options: sendOptions,
});
export type SavedOutboxEntry = z.infer<typeof outboxEntry>;

/** The waiting messages, oldest first; a corrupt entry is dropped rather than breaking the composer. */
export function loadOutbox(storage: KeyValueStorage): SavedOutboxEntry[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(OUTBOX_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((item) => {
      const entry = outboxEntry.safeParse(item);
      return entry.success ? [entry.data] : [];
    });
  } catch {
    return [];
  }
}

export function saveOutbox(storage: KeyValueStorage, entries: readonly SavedOutboxEntry[]): void {
  storage.setItem(OUTBOX_KEY, JSON.stringify(entries));
}

const PARTS_KEY = 'switchboard.draftParts';

/**
 * The rest of a thread's draft: its staged files (by the ids the engine gave them; `attachment` is null for a file
 * that was still uploading, which cannot be resumed) and its send-later time, priority and tag.
 */
const draftParts = z.object({
  chips: z.array(savedChip.extend({ attachment: attachment.nullable() })),
  options: sendOptions,
});
export type SavedDraftParts = z.infer<typeof draftParts>;

/** Draft files and options per thread id; a corrupt entry is dropped rather than breaking the composer. */
export function loadDraftParts(storage: KeyValueStorage): Record<string, SavedDraftParts> {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(PARTS_KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).flatMap(([threadId, item]) => {
        const parts = draftParts.safeParse(item);
        return parts.success ? [[threadId, parts.data]] : [];
      }),
    );
  } catch {
    return {};
  }
}

export function saveDraftParts(storage: KeyValueStorage, parts: Record<string, SavedDraftParts>): void {
  storage.setItem(PARTS_KEY, JSON.stringify(parts));
}

export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}
