import { create } from 'zustand';
import type { RpcClient } from '../../../../shared/ipc/client';
import type { MethodOutput } from '../../../../shared/ipc/contract';
import type { Contact } from '../../../../shared/ipc/schemas';

export type MediaItem = MethodOutput<'threads.media'>['items'][number];

const OPEN_KEY = 'switchboard.contactPanel';
const PAGE = 30;

const savedOpen = () => typeof localStorage !== 'undefined' && localStorage.getItem(OPEN_KEY) === 'open';

interface ContactState {
  /** The panel is shown (remembered across reloads). */
  open: boolean;
  threadId: string | null;
  /** The participants' contacts, by number; a number without one has no entry. */
  contacts: Record<string, Contact>;
  media: MediaItem[];
  mediaCursor: string | null;
  mediaLoading: boolean;
  mediaError: string | null;
  /** Per number: a save in flight, and the last save's error. */
  saving: Record<string, boolean>;
  saveErrors: Record<string, string>;
  toggle(): void;
  /** Shows a thread's contacts and first page of media (again, when already shown: a refresh). */
  load(client: RpcClient, threadId: string, participants: readonly string[]): Promise<void>;
  loadMoreMedia(client: RpcClient): Promise<void>;
  /** A file of the shown thread finished arriving: the newest page is read again. */
  mediaChanged(client: RpcClient, threadId: string): Promise<void>;
  save(client: RpcClient, input: { number: string; name: string; notes: string }): Promise<boolean>;
}

export const useContactStore = create<ContactState>()((set, get) => {
  const firstPage = async (client: RpcClient, threadId: string) => {
    set({ mediaLoading: true, mediaError: null });
    try {
      const page = await client.call('threads.media', { threadId, limit: PAGE });
      if (get().threadId === threadId) set({ media: page.items, mediaCursor: page.nextCursor, mediaLoading: false });
    } catch (e) {
      if (get().threadId === threadId) set({ mediaError: (e as Error).message, mediaLoading: false });
    }
  };
  return {
    open: savedOpen(),
    threadId: null,
    contacts: {},
    media: [],
    mediaCursor: null,
    mediaLoading: false,
    mediaError: null,
    saving: {},
    saveErrors: {},
    toggle: () => {
      const open = !get().open;
      if (typeof localStorage !== 'undefined') localStorage.setItem(OPEN_KEY, open ? 'open' : 'closed');
      set({ open });
    },
    load: async (client, threadId, participants) => {
      if (get().threadId !== threadId) set({ threadId, contacts: {}, media: [], mediaCursor: null, saving: {}, saveErrors: {} });
      // contacts.list matches substrings; the exact number is picked out of its answer.
      const found = await Promise.all(
        participants.map((number) => client.call('contacts.list', { query: number }).then((r) => r.contacts.find((c) => c.number === number), () => undefined)),
      );
      if (get().threadId === threadId) set({ contacts: Object.fromEntries(found.filter((c) => c !== undefined).map((c) => [c.number, c])) });
      await firstPage(client, threadId);
    },
    loadMoreMedia: async (client) => {
      const { threadId, mediaCursor, mediaLoading } = get();
      if (!threadId || !mediaCursor || mediaLoading) return;
      set({ mediaLoading: true });
      try {
        const page = await client.call('threads.media', { threadId, limit: PAGE, before: mediaCursor });
        if (get().threadId === threadId) set({ media: [...get().media, ...page.items], mediaCursor: page.nextCursor, mediaLoading: false });
      } catch (e) {
        if (get().threadId === threadId) set({ mediaError: (e as Error).message, mediaLoading: false });
      }
    },
    mediaChanged: async (client, threadId) => {
      if (get().threadId === threadId && get().open) await firstPage(client, threadId);
    },
    save: async (client, input) => {
      const { number } = input;
      const { [number]: _, ...errors } = get().saveErrors;
      set({ saving: { ...get().saving, [number]: true }, saveErrors: errors });
      try {
        const { contact } = await client.call('contacts.upsert', input);
        set({ contacts: { ...get().contacts, [number]: contact }, saving: { ...get().saving, [number]: false } });
        return true;
      } catch (e) {
        set({ saving: { ...get().saving, [number]: false }, saveErrors: { ...get().saveErrors, [number]: (e as Error).message } });
        return false;
      }
    },
  };
});
