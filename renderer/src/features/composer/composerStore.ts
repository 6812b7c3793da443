import { create } from 'zustand';
import type { RpcClient } from '../../../../shared/ipc/client';
import { AppError } from '../../../../shared/ipc/errors';
import type { Attachment, Message } from '../../../../shared/ipc/schemas';
import type { ConnectionState } from '../../api/transport';
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

/** A message taken out of the composer by Enter, waiting for its turn to go to the engine. */
interface Job {
  client: RpcClient;
  target: SendTarget;
  text: string;
  chips: Chip[];
  options: SendOptions;
  done(message: Message | null): void;
}

export const NOT_CONNECTED = 'Not connected to Switchboard, so the message was not sent. It stays here: send it again once connected.';

interface ComposerState {
  drafts: Record<string, string>;
  chips: Chip[];
  options: Record<string, SendOptions>;
  errors: Record<string, string | null>;
  /** Threads where a send was refused because a recipient opted out. */
  optedOut: Record<string, boolean>;
  setDraft(threadId: string, text: string): void;
  setOptions(threadId: string, patch: Partial<SendOptions>): void;
  /** The engine says the thread is no longer opted out (the customer replied START). */
  optedIn(threadId: string): void;
  /** `preview` makes a chip's thumbnail from the file and the type the engine found in its content. */
  addFiles(threadId: string, files: readonly File[], upload: Uploader, preview: (file: File, sniffedType: string) => string | null): Promise<void>;
  removeChip(client: RpcClient, localId: string): void;
  /**
   * Takes the thread's draft, files and options out of the composer at once and sends them after any message sent
   * before; resolves with the message, or null when it was refused (the reason is in `errors`, the text back in the box).
   */
  send(client: RpcClient, target: SendTarget, connection: ConnectionState): Promise<Message | null>;
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
  if (!text.trim() && chips.length === 0) return 'Write a message or attach a file.';
  return null;
}

const sameOptions = (a: SendOptions, b: SendOptions) => a.sendAt === b.sendAt && a.priority === b.priority && a.tag === b.tag;
const revokePreviews = (chips: readonly Chip[]) => {
  for (const c of chips) if (c.previewUrl?.startsWith('blob:')) URL.revokeObjectURL(c.previewUrl);
};

/** Why the engine refused a send, in words, for the agent who gets the text back. */
function refusal(error: Error, heldBack: number): string {
  const reason =
    error instanceof AppError && error.code === 'UNAVAILABLE'
      ? 'The connection was lost while sending, so it may or may not have gone out: check the conversation before you send it again.'
      : `Not sent: ${error.message}`;
  const held = heldBack ? ` The ${heldBack === 1 ? 'message' : `${heldBack} messages`} written after it ${heldBack === 1 ? 'was' : 'were'} held back too.` : '';
  return `${reason}${held} Your text is back in the box.`;
}

export function createComposerStore(storage: KeyValueStorage) {
  return create<ComposerState>()((set, get) => {
    const patchChip = (localId: string, patch: Partial<Chip>) =>
      set({ chips: get().chips.map((c) => (c.localId === localId ? { ...c, ...patch } : c)) });
    const setError = (threadId: string, error: string | null) => set({ errors: { ...get().errors, [threadId]: error } });

    /**
     * One send at a time, in the order Enter was pressed: a burst goes out exactly once per message and in order,
     * whatever the engine's answer times.
     */
    let queue: Job[] = [];
    let draining = false;
    const drain = async () => {
      if (draining) return;
      draining = true;
      while (queue.length) {
        const job = queue.shift()!;
        const { sendAt, priority, tag } = job.options;
        try {
          const { message } = await job.client.call('messages.send', {
            from: job.target.from,
            to: job.target.to,
            ...(job.text.trim() ? { text: job.text } : {}),
            ...(job.chips.length ? { attachments: job.chips.map((c) => c.attachment!.id) } : {}),
            ...(sendAt ? { sendAt } : {}),
            ...(priority === 'high' ? { priority } : {}),
            ...(tag.trim() ? { tag: tag.trim() } : {}),
          });
          revokePreviews(job.chips);
          job.done(message);
        } catch (e) {
          // The thread's later messages are held back rather than sent ahead of the one that failed (they often
          // follow on from it); they all come back to the box with it.
          const threadId = job.target.threadId;
          const held = queue.filter((j) => j.target.threadId === threadId);
          queue = queue.filter((j) => j.target.threadId !== threadId);
          putBack([job, ...held]);
          const optedOut = e instanceof AppError && e.code === 'OPTED_OUT';
          if (optedOut) set({ optedOut: { ...get().optedOut, [threadId]: true } });
          // The opted-out block replaces the box, so there is no "back in the box" to speak of.
          setError(threadId, optedOut ? (e as Error).message : refusal(e as Error, held.length));
          for (const j of [job, ...held]) j.done(null);
        }
      }
      draining = false;
    };

    /**
     * A refused message must not cost the agent a word. Its text goes back in front of whatever they typed since
     * (which was written after it), on its own line: an empty box simply gets it back, and text typed meanwhile is
     * kept as it is rather than overwritten, as a careful chat app does. Its files come back the same way, and its
     * options too unless the agent has set new ones since.
     */
    const putBack = (jobs: Job[]) => {
      const threadId = jobs[0]!.target.threadId;
      const typed = get().drafts[threadId] ?? '';
      get().setDraft(threadId, [...jobs.map((j) => j.text).filter((t) => t.trim()), typed].filter((t) => t).join('\n'));
      const current = get().options[threadId] ?? DEFAULT_OPTIONS;
      set({
        chips: [...jobs.flatMap((j) => j.chips), ...get().chips],
        options: sameOptions(current, DEFAULT_OPTIONS) ? { ...get().options, [threadId]: jobs[0]!.options } : get().options,
      });
    };

    return {
      drafts: loadDrafts(storage),
      chips: [],
      options: {},
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
      send: (client, target, connection) => {
        const { threadId } = target;
        // The transport would hold the request until the socket reopens, with nothing on screen: say so instead.
        if (connection !== 'open') {
          setError(threadId, NOT_CONNECTED);
          return Promise.resolve(null);
        }
        const text = get().drafts[threadId] ?? '';
        const chips = get().chips.filter((c) => c.threadId === threadId);
        const problem = cannotSend(text, chips);
        if (problem) {
          setError(threadId, problem);
          return Promise.resolve(null);
        }
        const options = get().options[threadId] ?? DEFAULT_OPTIONS;
        // The message leaves the composer the moment Enter is pressed, not when the engine answers: what the agent
        // types, attaches or sets from now on belongs to the next message, and that answer must not wipe it.
        set({ chips: get().chips.filter((c) => c.threadId !== threadId), options: { ...get().options, [threadId]: DEFAULT_OPTIONS } });
        get().setDraft(threadId, '');
        setError(threadId, null);
        return new Promise((done) => {
          queue.push({ client, target, text, chips, options, done });
          void drain();
        });
      },
    };
  });
}

export const useComposerStore = createComposerStore(typeof localStorage === 'undefined' ? memoryStorage() : localStorage);
