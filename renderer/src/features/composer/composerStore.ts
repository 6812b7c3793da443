import { create } from 'zustand';
import type { RpcClient } from '../../../../shared/ipc/client';
import { AppError } from '../../../../shared/ipc/errors';
import type { Attachment, Message } from '../../../../shared/ipc/schemas';
import type { ConnectionState } from '../../api/transport';
import type { Uploader } from '../../api/upload';
import { useAccountStore } from '../account/accountStore';
import { loadDraftParts, loadDrafts, loadOutbox, memoryStorage, saveDraftParts, saveDrafts, saveOutbox, type KeyValueStorage, type SavedDraftParts } from './drafts';
import { whenLabel } from '../ui/dates';

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

/**
 * A message taken out of the composer by Enter. It waits here, saved with the drafts, until the engine has answered
 * for it; `key` (the send's clientKey) makes sending it again after a lost connection deliver it exactly once.
 */
export interface OutboxEntry {
  key: string;
  target: SendTarget;
  text: string;
  chips: (Chip & { attachment: Attachment })[];
  options: SendOptions;
}

/** Where the composer learns whether Switchboard is reachable: the account store in the app. */
export interface ConnectionSource {
  getState(): { connection: ConnectionState };
  subscribe(listener: (state: { connection: ConnectionState }) => void): () => void;
}

/** How long a message the engine could not take yet ("still starting") waits before it is offered again. */
const STALLED_RETRY_MS = 2_000;

/** A fresh idempotency key. getRandomValues rather than randomUUID: it also exists outside secure contexts. */
const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/** The line a thread's composer shows while its sent messages wait to go, or null when none wait. */
export function waitingLine(count: number, connection: ConnectionState, stalled: string | null): string | null {
  if (count === 0 || (connection === 'open' && !stalled)) return null;
  const messages = count === 1 ? '1 message' : `${count} messages`;
  if (connection !== 'open') return `Not connected: ${messages} will be sent when Switchboard is back.`;
  return `Switchboard said: “${stalled}” ${count === 1 ? 'The message' : `The ${messages}`} will be sent by itself as soon as it can.`;
}

interface ComposerState {
  drafts: Record<string, string>;
  chips: Chip[];
  options: Record<string, SendOptions>;
  errors: Record<string, string | null>;
  /** Threads where a send was refused because a recipient opted out. */
  optedOut: Record<string, boolean>;
  /** Threads whose send-later time had passed when the agent sent: nothing went, and the agent chooses what now. */
  overdue: Record<string, boolean>;
  /** Sent messages the engine has not answered for yet, oldest first (they go in this order). */
  outbox: OutboxEntry[];
  /** Why the engine could not take the first of them although connected (e.g. still starting); null otherwise. */
  stalled: string | null;
  setDraft(threadId: string, text: string): void;
  setOptions(threadId: string, patch: Partial<SendOptions>): void;
  /** The engine says the thread is no longer opted out (the customer replied START). */
  optedIn(threadId: string): void;
  /** `preview` makes a chip's thumbnail from the file and the type the engine found in its content. */
  addFiles(threadId: string, files: readonly File[], upload: Uploader, preview: (file: File, sniffedType: string) => string | null): Promise<void>;
  removeChip(client: RpcClient, localId: string): void;
  /**
   * Takes the thread's draft, files and options out of the composer at once and sends them after any message sent
   * before, once connected; resolves with the message, or null when it was refused (the reason is in `errors`, the
   * text back in the box).
   */
  send(client: RpcClient, target: SendTarget): Promise<Message | null>;
  /** The client to send with: messages kept from before a reload wait for it. */
  setClient(client: RpcClient): void;
}

let nextLocalId = 1;

/** Why the composer cannot send right now, in words; null when it can. */
export function cannotSend(text: string, chips: readonly Chip[]): string | null {
  const names = (state: Chip['state']) => chips.filter((c) => c.state === state).map((c) => c.name).join(', ');
  // Sending without them would drop files the agent meant to send, without a word.
  if (names('failed')) return `Remove the files that cannot be sent first: ${names('failed')}.`;
  if (names('uploading')) return `Wait for ${names('uploading')} to finish uploading.`;
  if (chips.length > MAX_ATTACHMENTS) return `A message takes at most ${MAX_ATTACHMENTS} attachments: remove ${chips.length - MAX_ATTACHMENTS}.`;
  if (text.length > MAX_TEXT) return `The text is ${text.length - MAX_TEXT} characters over the ${MAX_TEXT} limit.`;
  return null;
}

/** Nothing to send: Enter (or Schedule) on it does nothing, as in any chat app, rather than scold. */
export const isEmpty = (text: string, chips: readonly Chip[]) => !text.trim() && chips.length === 0;

const sameOptions = (a: SendOptions, b: SendOptions) => a.sendAt === b.sendAt && a.priority === b.priority && a.tag === b.tag;
const revokePreviews = (chips: readonly Chip[]) => {
  for (const c of chips) if (c.previewUrl?.startsWith('blob:')) URL.revokeObjectURL(c.previewUrl);
};

/** What a message that did not go says to the agent who gets its text back, after why it did not go. */
const backInTheBox = (heldBack: number) =>
  `${heldBack ? ` The ${heldBack === 1 ? 'message' : `${heldBack} messages`} written after it ${heldBack === 1 ? 'was' : 'were'} held back too.` : ''} Your text is back in the box.`;

/** Why the engine refused a send, in words, for the agent who gets the text back. */
function refusal(error: Error, heldBack: number): string {
  return `Not sent: ${error.message}${/[.!?…”]$/.test(error.message) ? '' : '.'}${backInTheBox(heldBack)}`;
}

/** Messages kept from before a reload; their files' previews died with the page. */
function restoreOutbox(storage: KeyValueStorage): OutboxEntry[] {
  return loadOutbox(storage).map((entry) => ({
    ...entry,
    chips: entry.chips.map((c) => ({ ...c, localId: `chip-${nextLocalId++}`, threadId: entry.target.threadId, previewUrl: null, loaded: c.size, state: 'ready' as const, error: null })),
  }));
}

/**
 * Each thread's draft files and options as they were before a reload. The files are the engine's staged
 * attachments, checked with it once connected (see checkRestored); a file whose upload the reload cut off cannot be
 * resumed, and its chip says so rather than vanish.
 */
function restoreParts(storage: KeyValueStorage): { chips: Chip[]; options: Record<string, SendOptions> } {
  const parts = Object.entries(loadDraftParts(storage));
  const chips = parts.flatMap(([threadId, { chips }]) =>
    chips.map<Chip>(({ attachment, ...c }) => ({
      ...c,
      localId: `chip-${nextLocalId++}`,
      threadId,
      attachment,
      // The blob preview died with the page; the engine serves the staged file itself.
      previewUrl: attachment?.contentType.startsWith('image/') ? attachment.url : null,
      loaded: c.size,
      state: attachment ? 'ready' : 'failed',
      error: attachment ? null : `${c.name} was still uploading when Switchboard reloaded, so it is not attached: attach it again.`,
    })),
  );
  return { chips, options: Object.fromEntries(parts.map(([threadId, { options }]) => [threadId, options])) };
}

/** What of the composers' files and options is kept across a reload: files that can still be sent, options that were set. */
function draftPartsOf(chips: readonly Chip[], options: Record<string, SendOptions>): Record<string, SavedDraftParts> {
  const parts: Record<string, SavedDraftParts> = {};
  const of = (threadId: string) => (parts[threadId] ??= { chips: [], options: options[threadId] ?? DEFAULT_OPTIONS });
  for (const c of chips) {
    if (c.state !== 'failed') of(c.threadId).chips.push({ name: c.name, size: c.size, contentType: c.contentType, notice: c.notice, attachment: c.attachment });
  }
  for (const [threadId, o] of Object.entries(options)) if (!sameOptions(o, DEFAULT_OPTIONS)) of(threadId);
  return parts;
}

export function createComposerStore(storage: KeyValueStorage, connection: ConnectionSource) {
  const restored = restoreParts(storage);
  const store = create<ComposerState>()((set, get) => {
    const patchChip = (localId: string, patch: Partial<Chip>) =>
      set({ chips: get().chips.map((c) => (c.localId === localId ? { ...c, ...patch } : c)) });
    const setError = (threadId: string, error: string | null) => set({ errors: { ...get().errors, [threadId]: error } });
    /** Restored files not yet confirmed by the engine, by chip. */
    const unchecked = new Set(restored.chips.filter((c) => c.attachment).map((c) => c.localId));
    /**
     * Asks the engine whether it still holds the restored files (it drops staged files abandoned for a day). One it
     * no longer has turns into a failed chip that says so, which keeps the message from going without it.
     */
    const checkRestored = async () => {
      const pending = get().chips.filter((c) => unchecked.has(c.localId) && c.attachment);
      // One thread at a time: a thread's draft holds at most MAX_ATTACHMENTS, as the call does.
      for (const threadId of new Set(pending.map((c) => c.threadId))) {
        const chips = pending.filter((c) => c.threadId === threadId);
        if (!client) return;
        try {
          const { attachments } = await client.call('attachments.staged', { attachmentIds: chips.map((c) => c.attachment!.id) });
          const held = new Set(attachments.map((a) => a.id));
          for (const chip of chips) {
            unchecked.delete(chip.localId);
            if (held.has(chip.attachment!.id)) continue;
            const error = `${chip.name} could not be restored: Switchboard no longer has it. Remove it and attach it again.`;
            patchChip(chip.localId, { state: 'failed', attachment: null, previewUrl: null, error });
          }
        } catch {
          // Not connected yet: asked again when the connection is back. Until then the engine would refuse a file it lacks.
        }
      }
    };
    const setOutbox = (outbox: OutboxEntry[]) => {
      set({ outbox });
      saveOutbox(storage, outbox);
    };

    let client: RpcClient | null = null;
    let online = connection.getState().connection === 'open';
    let retry: ReturnType<typeof setTimeout> | null = null;
    /** Whoever pressed Enter waits for the engine's answer; messages kept from before a reload have no one waiting. */
    const waiters = new Map<string, (message: Message | null) => void>();
    const settle = (key: string, message: Message | null) => {
      waiters.get(key)?.(message);
      waiters.delete(key);
    };

    /**
     * One send at a time, in the order Enter was pressed: a burst goes out exactly once per message and in order,
     * whatever the engine's answer times. While Switchboard is unreachable the messages wait, and go when it is back.
     */
    let draining = false;
    const drain = async () => {
      if (retry) clearTimeout(retry);
      retry = null;
      if (draining) return;
      draining = true;
      while (online && client && get().outbox.length) {
        const entry = get().outbox[0]!;
        const { sendAt, priority, tag } = entry.options;
        const now = Date.now();
        if (sendAt !== null && sendAt <= now) {
          // Its send-later time passed while it waited: as at Enter (see send), it would go at once, but the agent
          // meant later, so it goes back to the box and the choice is theirs.
          const threadId = entry.target.threadId;
          const heldBack = giveBack(threadId) - 1;
          set({ overdue: { ...get().overdue, [threadId]: true } });
          setError(threadId, `The send-later time (${whenLabel(sendAt, now)}) passed while it waited to go, so nothing was sent.${backInTheBox(heldBack)}`);
          continue;
        }
        try {
          const { message } = await client.call('messages.send', {
            from: entry.target.from,
            to: entry.target.to,
            ...(entry.text.trim() ? { text: entry.text } : {}),
            ...(entry.chips.length ? { attachments: entry.chips.map((c) => c.attachment.id) } : {}),
            ...(sendAt ? { sendAt } : {}),
            ...(priority === 'high' ? { priority } : {}),
            ...(tag.trim() ? { tag: tag.trim() } : {}),
            clientKey: entry.key,
          });
          setOutbox(get().outbox.filter((e) => e.key !== entry.key));
          set({ stalled: null });
          revokePreviews(entry.chips);
          settle(entry.key, message);
        } catch (e) {
          if (e instanceof AppError && e.code === 'UNAVAILABLE') {
            // The connection dropped before or during the call (or the engine cannot take it yet): whether the
            // engine has it is unknown, so it must neither come back to the box (sent twice) nor be dropped. It
            // stays first in line and goes again with the same key, which the engine answers with the message it
            // already has, if it has one. A lost connection sends it when it is back; otherwise, after a pause.
            if (online) {
              set({ stalled: e.message });
              retry = setTimeout(() => void drain(), STALLED_RETRY_MS);
            }
            break;
          }
          const threadId = entry.target.threadId;
          const heldBack = giveBack(threadId) - 1;
          const optedOut = e instanceof AppError && e.code === 'OPTED_OUT';
          if (optedOut) set({ optedOut: { ...get().optedOut, [threadId]: true } });
          // The opted-out block replaces the box, so there is no "back in the box" to speak of.
          setError(threadId, optedOut ? (e as Error).message : refusal(e as Error, heldBack));
        }
      }
      draining = false;
    };
    connection.subscribe((state) => {
      if ((state.connection === 'open') === online) return;
      online = !online;
      set({ stalled: null });
      if (online) {
        void checkRestored();
        void drain();
      }
    });

    /**
     * A refused message must not cost the agent a word. Its text goes back in front of whatever they typed since
     * (which was written after it), on its own line: an empty box simply gets it back, and text typed meanwhile is
     * kept as it is rather than overwritten, as a careful chat app does. Its files come back the same way, and its
     * options too unless the agent has set new ones since.
     */
    const putBack = (jobs: OutboxEntry[]) => {
      const threadId = jobs[0]!.target.threadId;
      const typed = get().drafts[threadId] ?? '';
      get().setDraft(threadId, [...jobs.map((j) => j.text).filter((t) => t.trim()), typed].filter((t) => t).join('\n'));
      const current = get().options[threadId] ?? DEFAULT_OPTIONS;
      set({
        chips: [...jobs.flatMap((j) => j.chips), ...get().chips],
        options: sameOptions(current, DEFAULT_OPTIONS) ? { ...get().options, [threadId]: jobs[0]!.options } : get().options,
      });
    };

    /**
     * Takes the thread's messages out of the line, the first of which cannot go, and puts them back in its box: the
     * later ones are held back rather than sent ahead of it (they often follow on from it). Returns how many.
     */
    const giveBack = (threadId: string): number => {
      const jobs = get().outbox.filter((j) => j.target.threadId === threadId);
      setOutbox(get().outbox.filter((j) => j.target.threadId !== threadId));
      set({ stalled: null });
      putBack(jobs);
      for (const j of jobs) settle(j.key, null);
      return jobs.length;
    };

    return {
      drafts: loadDrafts(storage),
      chips: restored.chips,
      options: restored.options,
      errors: {},
      optedOut: {},
      overdue: {},
      outbox: restoreOutbox(storage),
      stalled: null,
      setDraft: (threadId, text) => {
        const drafts = { ...get().drafts, [threadId]: text };
        set({ drafts });
        saveDrafts(storage, drafts);
      },
      setOptions: (threadId, patch) => {
        set({ options: { ...get().options, [threadId]: { ...(get().options[threadId] ?? DEFAULT_OPTIONS), ...patch } } });
        // A new time, or none, is the agent's answer to a time that had passed.
        if ('sendAt' in patch && get().overdue[threadId]) {
          set({ overdue: { ...get().overdue, [threadId]: false } });
          setError(threadId, null);
        }
      },
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
          previewUrl: null,
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
              patchChip(chip.localId, {
                state: 'ready',
                loaded: chip.size,
                attachment: staged.attachment,
                notice: staged.notice,
                size: staged.attachment.size,
                contentType: staged.attachment.contentType,
                // Only now: the declared type is the file name's claim, and a program named .jpg would show a broken picture.
                previewUrl: preview(accepted[i]!, staged.attachment.contentType),
              });
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
        // Whatever the error said (e.g. "remove the files that cannot be sent"), the agent has acted on it.
        setError(chip.threadId, null);
        if (chip.previewUrl?.startsWith('blob:')) URL.revokeObjectURL(chip.previewUrl);
        // Best effort: the engine also collects staged files nothing references.
        if (chip.attachment) client.call('attachments.discard', { attachmentId: chip.attachment.id }).catch(() => {});
      },
      send: (sender, target) => {
        client = sender;
        const { threadId } = target;
        const text = get().drafts[threadId] ?? '';
        const chips = get().chips.filter((c) => c.threadId === threadId);
        if (isEmpty(text, chips)) return Promise.resolve(null);
        const problem = cannotSend(text, chips);
        if (problem) {
          setError(threadId, problem);
          return Promise.resolve(null);
        }
        const options = get().options[threadId] ?? DEFAULT_OPTIONS;
        const now = Date.now();
        if (options.sendAt !== null && options.sendAt <= now) {
          // Sent as it is, the engine would send it at once: the agent meant later, so the choice is theirs.
          set({ overdue: { ...get().overdue, [threadId]: true } });
          setError(threadId, `The send-later time (${whenLabel(options.sendAt, now)}) has passed, so nothing was sent.`);
          return Promise.resolve(null);
        }
        // The message leaves the composer the moment Enter is pressed, not when the engine answers: what the agent
        // types, attaches or sets from now on belongs to the next message, and that answer must not wipe it.
        set({ chips: get().chips.filter((c) => c.threadId !== threadId), options: { ...get().options, [threadId]: DEFAULT_OPTIONS } });
        get().setDraft(threadId, '');
        setError(threadId, null);
        const key = newKey();
        // cannotSend let through only files that finished uploading, so each has its staged attachment.
        setOutbox([...get().outbox, { key, target, text, chips: chips as OutboxEntry['chips'], options }]);
        return new Promise((done) => {
          waiters.set(key, done);
          void drain();
        });
      },
      setClient: (sender) => {
        client = sender;
        void checkRestored();
        void drain();
      },
    };
  });
  // Saved on every change to the files or options, as the text is; only when what is kept changed (not upload progress).
  let saved = JSON.stringify(draftPartsOf(restored.chips, restored.options));
  store.subscribe((state, previous) => {
    if (state.chips === previous.chips && state.options === previous.options) return;
    const parts = draftPartsOf(state.chips, state.options);
    const json = JSON.stringify(parts);
    if (json === saved) return;
    saved = json;
    saveDraftParts(storage, parts);
  });
  return store;
}

export const useComposerStore = createComposerStore(typeof localStorage === 'undefined' ? memoryStorage() : localStorage, useAccountStore);
