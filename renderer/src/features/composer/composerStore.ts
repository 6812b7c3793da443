import { create } from 'zustand';
import type { RpcClient } from '../../../../shared/ipc/client';
import { AppError } from '../../../../shared/ipc/errors';
import type { Attachment, Message } from '../../../../shared/ipc/schemas';
import type { Uploader } from '../../api/upload';
import { loadDrafts, memoryStorage, saveDrafts, type KeyValueStorage } from './drafts';

/** Bandwidth's text limit and attachment count (REFERENCE.md). */
export const MAX_TEXT = 2048;
export const MAX_ATTACHMENTS = 10;

export interface Chip {
  localId: string;
  threadId: string;
  name: string;
  size: number;
  contentType: string;
  previewUrl: string | null;
  loaded: number;
  state: 'uploading' | 'ready' | 'failed';
  error: string | null;
  notice: string | null;
  attachment: Attachment | null;
}

/** Per-message options (PRODUCT §2.2): send later, priority, tag. */
export interface SendOptions {
  sendAt: number | null;
  priority: 'default' | 'high';
  tag: string;
}

export const DEFAULT_OPTIONS: SendOptions = { sendAt: null, priority: 'default', tag: '' };

export interface SendTarget {
  threadId: string;
  from: string;
  to: string[];
}

interface ComposerState {
  drafts: Record<string, string>;
  chips: Chip[];
  options: Record<string, SendOptions>;
  sending: boolean;
  errors: Record<string, string | null>;
  /** Threads where a send was refused because a recipient opted out. */
  optedOut: Record<string, boolean>;
  setDraft(threadId: string, text: string): void;
  setOptions(threadId: string, patch: Partial<SendOptions>): void;
  /** The engine says the thread is no longer opted out (the customer replied START). */
  optedIn(threadId: string): void;
  addFiles(threadId: string, files: readonly File[], upload: Uploader, preview: (file: File) => string | null): Promise<void>;
  removeChip(client: RpcClient, localId: string): void;
  send(client: RpcClient, target: SendTarget): Promise<Message | null>;
}

let nextLocalId = 1;

/** Why the composer cannot send right now, in words; null when it can. */
export function cannotSend(text: string, chips: readonly Chip[]): string | null {
  if (chips.some((c) => c.state === 'uploading')) return 'Wait for the attachments to finish uploading.';
  if (text.length > MAX_TEXT) return `The text is ${text.length - MAX_TEXT} characters over the ${MAX_TEXT} limit.`;
  if (!text.trim() && !chips.some((c) => c.state === 'ready')) return 'Write a message or attach a file.';
  return null;
}

export function createComposerStore(storage: KeyValueStorage) {
  return create<ComposerState>()((set, get) => {
    const patchChip = (localId: string, patch: Partial<Chip>) =>
      set({ chips: get().chips.map((c) => (c.localId === localId ? { ...c, ...patch } : c)) });
    const setError = (threadId: string, error: string | null) => set({ errors: { ...get().errors, [threadId]: error } });
    return {
      drafts: loadDrafts(storage),
      chips: [],
      options: {},
      sending: false,
      errors: {},
      optedOut: {},
      setDraft: (threadId, text) => {
        const drafts = { ...get().drafts, [threadId]: text };
        set({ drafts });
        saveDrafts(storage, drafts);
      },
      setOptions: (threadId, patch) => set({ options: { ...get().options, [threadId]: { ...(get().options[threadId] ?? DEFAULT_OPTIONS), ...patch } } }),
      optedIn: (threadId) => {
        if (!get().optedOut[threadId]) return;
        set({ optedOut: { ...get().optedOut, [threadId]: false } });
        setError(threadId, null);
      },
      addFiles: async (threadId, files, upload, preview) => {
        const room = MAX_ATTACHMENTS - get().chips.filter((c) => c.threadId === threadId).length;
        const accepted = files.slice(0, Math.max(room, 0));
        const refused = files.slice(accepted.length);
        setError(threadId, refused.length ? `${refused.map((f) => f.name).join(', ')}: a message takes at most ${MAX_ATTACHMENTS} attachments.` : null);
        const chips = accepted.map<Chip>((file) => ({
          localId: `chip-${nextLocalId++}`,
          threadId,
          name: file.name,
          size: file.size,
          contentType: file.type,
          previewUrl: preview(file),
          loaded: 0,
          state: 'uploading',
          error: null,
          notice: null,
          attachment: null,
        }));
        set({ chips: [...get().chips, ...chips] });
        await Promise.all(
          chips.map(async (chip, i) => {
            try {
              const staged = await upload(accepted[i]!, (p) => patchChip(chip.localId, { loaded: p.loaded }));
              // The chip may have been removed while it uploaded.
              if (!get().chips.some((c) => c.localId === chip.localId)) return;
              patchChip(chip.localId, { state: 'ready', loaded: chip.size, attachment: staged.attachment, notice: staged.notice, size: staged.attachment.size });
            } catch (e) {
              patchChip(chip.localId, { state: 'failed', error: (e as Error).message });
            }
          }),
        );
      },
      removeChip: (client, localId) => {
        const chip = get().chips.find((c) => c.localId === localId);
        if (!chip) return;
        set({ chips: get().chips.filter((c) => c.localId !== localId) });
        if (chip.previewUrl?.startsWith('blob:')) URL.revokeObjectURL(chip.previewUrl);
        // Best effort: the engine also collects staged files nothing references.
        if (chip.attachment) client.call('attachments.discard', { attachmentId: chip.attachment.id }).catch(() => {});
      },
      send: async (client, { threadId, from, to }) => {
        const text = get().drafts[threadId] ?? '';
        const chips = get().chips.filter((c) => c.threadId === threadId);
        const problem = cannotSend(text, chips);
        if (problem) {
          setError(threadId, problem);
          return null;
        }
        const ready = chips.filter((c) => c.state === 'ready' && c.attachment);
        const { sendAt, priority, tag } = get().options[threadId] ?? DEFAULT_OPTIONS;
        set({ sending: true });
        setError(threadId, null);
        try {
          const { message } = await client.call('messages.send', {
            from,
            to,
            ...(text.trim() ? { text } : {}),
            ...(ready.length ? { attachments: ready.map((c) => c.attachment!.id) } : {}),
            ...(sendAt ? { sendAt } : {}),
            ...(priority === 'high' ? { priority } : {}),
            ...(tag.trim() ? { tag: tag.trim() } : {}),
          });
          for (const c of chips) if (c.previewUrl?.startsWith('blob:')) URL.revokeObjectURL(c.previewUrl);
          set({ chips: get().chips.filter((c) => c.threadId !== threadId), options: { ...get().options, [threadId]: DEFAULT_OPTIONS }, sending: false });
          get().setDraft(threadId, '');
          return message;
        } catch (e) {
          const optedOut = e instanceof AppError && e.code === 'OPTED_OUT';
          set({ sending: false, optedOut: optedOut ? { ...get().optedOut, [threadId]: true } : get().optedOut });
          setError(threadId, (e as Error).message);
          return null;
        }
      },
    };
  });
}

export const useComposerStore = createComposerStore(typeof localStorage === 'undefined' ? memoryStorage() : localStorage);
