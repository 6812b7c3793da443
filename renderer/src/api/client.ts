import { createClient, type RpcClient } from '../../../shared/ipc/client';
import { connectTransport, type ConnectionState } from './transport';

export interface Api {
  client: RpcClient;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}

export function connectApi(): Api {
  const transport = connectTransport();
  return { client: createClient(transport), onConnectionChange: (l) => transport.onConnectionChange(l) };
}

export type { ConnectionState, RpcClient };
