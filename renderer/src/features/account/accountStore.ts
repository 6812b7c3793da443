import { create } from 'zustand';
import type { AccountStatus, QueueStatus } from '../../../../shared/ipc/schemas';
import type { ConnectionState } from '../../api/client';

interface AccountState {
  connection: ConnectionState;
  status: AccountStatus | null;
  queue: QueueStatus | null;
  error: string | null;
  setConnection(connection: ConnectionState): void;
  setStatus(status: AccountStatus): void;
  setQueue(queue: QueueStatus): void;
  setError(error: string | null): void;
}

export const useAccountStore = create<AccountState>()((set) => ({
  connection: 'connecting',
  status: null,
  queue: null,
  error: null,
  setConnection: (connection) => set({ connection }),
  setStatus: (status) => set({ status, error: null }),
  setQueue: (queue) => set({ queue }),
  setError: (error) => set({ error }),
}));
