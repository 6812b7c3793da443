import { createClient, type RpcClient } from '../../../shared/ipc/client';
import type { AppCommand } from '../../../shared/ipc/contract';
import { createRelay } from './commandRelay';
import { connectTransport, type ConnectionState } from './transport';
import { uploadFile, type Uploader } from './upload';

export interface Api {
  client: RpcClient;
  upload: Uploader;
  /** Tells the listener the current state at once, then every change. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  /** The shell's commands (menu, sms: links); any that came before the app listened are handed over first. */
  onAppCommand(listener: (command: AppCommand) => void): () => void;
}

export function connectApi(): Api {
  const transport = connectTransport();
  // The socket may open before the first component subscribes; keep the latest state so no one misses it.
  let current: ConnectionState = 'connecting';
  transport.onConnectionChange((state) => (current = state));
  const client = createClient(transport);
  const commands = createRelay<AppCommand>();
  client.on('app.commandIssued', commands.push);
  return {
    client,
    upload: uploadFile,
    onConnectionChange: (listener) => {
      listener(current);
      return transport.onConnectionChange(listener);
    },
    onAppCommand: commands.listen,
  };
}

export type { ConnectionState, RpcClient, Uploader };
