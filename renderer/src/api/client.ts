import { createClient, type RpcClient } from '../../../shared/ipc/client';
import { connectTransport, type ConnectionState } from './transport';
import { uploadFile, type Uploader } from './upload';

export interface Api {
  client: RpcClient;
  upload: Uploader;
  /** Tells the listener the current state at once, then every change. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}

export function connectApi(): Api {
  const transport = connectTransport();
  // The socket may open before the first component subscribes; keep the latest state so no one misses it.
  let current: ConnectionState = 'connecting';
  transport.onConnectionChange((state) => (current = state));
  return {
    client: createClient(transport),
    upload: uploadFile,
    onConnectionChange: (listener) => {
      listener(current);
      return transport.onConnectionChange(listener);
    },
  };
}

export type { ConnectionState, RpcClient, Uploader };
