import { create } from 'zustand';
import type { AccountStatus, QueueStatus, TunnelState } from '../../../../shared/ipc/schemas';
import type { ConnectionState } from '../../api/client';

interface AccountState {
  connection: ConnectionState;
  status: AccountStatus | null;
  queue: QueueStatus | null;
  error: string | null;
  setConnection(connection: ConnectionState): void;
  setStatus(status: AccountStatus): void;
  setQueue(queue: QueueStatus): void;
  setTunnel(tunnel: TunnelState): void;
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
  setTunnel: (tunnel) => set((s) => (s.status ? { status: { ...s.status, tunnel } } : {})),
  setError: (error) => set({ error }),
}));
