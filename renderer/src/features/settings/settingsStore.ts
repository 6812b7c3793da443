import { create } from 'zustand';
import type { MethodInput } from '../../../../shared/ipc/contract';
import type { RpcClient } from '../../../../shared/ipc/client';
import type { Contact, CredentialsStatus, Settings } from '../../../../shared/ipc/schemas';
import { plainError } from './validation';

export type SettingsSection = 'account' | 'numbers' | 'callbacks' | 'messaging' | 'quick-replies' | 'contacts' | 'appearance';

interface SettingsState {
  settings: Settings | null;
  credentials: CredentialsStatus | null;
  contacts: Contact[];
  section: SettingsSection;
  /** Load errors per part, so one missing handler does not blank the whole page. */
  errors: Partial<Record<'settings' | 'credentials' | 'contacts', string>>;
  /** The outcome of the last action, shown next to the form that caused it. */
  feedback: { section: SettingsSection; ok: boolean; text: string } | null;
  busy: boolean;
  setSection(section: SettingsSection): void;
  setSettings(settings: Settings): void;
  load(client: RpcClient): Promise<void>;
  update(client: RpcClient, patch: MethodInput<'settings.update'>, section: SettingsSection): Promise<boolean>;
  setCredentials(client: RpcClient, input: MethodInput<'credentials.set'>): Promise<boolean>;
  clearCredentials(client: RpcClient): Promise<void>;
  upsertContact(client: RpcClient, input: MethodInput<'contacts.upsert'>): Promise<boolean>;
  importContacts(client: RpcClient, csv: string): Promise<void>;
  exportContacts(client: RpcClient): Promise<string | null>;
}

export const useSettingsStore = create<SettingsState>()((set, get) => {
  const act = async <T>(section: SettingsSection, work: () => Promise<T>, ok: (result: T) => string): Promise<T | null> => {
    set({ busy: true, feedback: null });
    try {
      const result = await work();
      set({ busy: false, feedback: { section, ok: true, text: ok(result) } });
      return result;
    } catch (e) {
      set({ busy: false, feedback: { section, ok: false, text: plainError(e) } });
      return null;
    }
  };
  const loadPart = async <K extends 'settings' | 'credentials' | 'contacts'>(key: K, work: () => Promise<Partial<SettingsState>>) => {
    try {
      const patch = await work();
      const { [key]: _, ...errors } = get().errors;
      set({ ...patch, errors });
    } catch (e) {
      set({ errors: { ...get().errors, [key]: plainError(e) } });
    }
  };
  return {
    settings: null,
    credentials: null,
    contacts: [],
    section: 'account',
    errors: {},
    feedback: null,
    busy: false,
    setSection: (section) => set({ section, feedback: null }),
    setSettings: (settings) => set({ settings }),
    load: async (client) => {
      await Promise.all([
        loadPart('settings', async () => ({ settings: await client.call('settings.get', {}) })),
        loadPart('credentials', async () => ({ credentials: await client.call('credentials.status', {}) })),
        loadPart('contacts', async () => ({ contacts: (await client.call('contacts.list', {})).contacts })),
      ]);
    },
    update: async (client, patch, section) => {
      const settings = await act(section, () => client.call('settings.update', patch), () => 'Saved.');
      if (settings) set({ settings });
      return settings !== null;
    },
    setCredentials: async (client, input) => {
      const status = await act('account', () => client.call('credentials.set', input), (s) => (s.error ? `Saved, but the check failed: ${s.error}` : 'Credentials checked and saved.'));
      if (status) set({ credentials: status });
      return status !== null && status.error === null;
    },
    clearCredentials: async (client) => {
      const status = await act('account', () => client.call('credentials.clear', {}), () => 'Credentials removed; back to the Sandbox.');
      if (status) set({ credentials: status });
    },
    upsertContact: async (client, input) => {
      const result = await act('contacts', () => client.call('contacts.upsert', input), (r) => `Saved ${r.contact.name}.`);
      if (result) set({ contacts: [...get().contacts.filter((c) => c.number !== result.contact.number), result.contact].sort((a, b) => a.name.localeCompare(b.name)) });
      return result !== null;
    },
    importContacts: async (client, csv) => {
      const result = await act(
        'contacts',
        () => client.call('contacts.import', { csv }),
        (r) => `Imported ${r.imported} contact${r.imported === 1 ? '' : 's'}.${r.errors.length ? ` Skipped: ${r.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}` : ''}`,
      );
      if (result) await loadPart('contacts', async () => ({ contacts: (await client.call('contacts.list', {})).contacts }));
    },
    exportContacts: async (client) => (await act('contacts', () => client.call('contacts.export', {}), () => 'Exported.'))?.csv ?? null,
  };
});
