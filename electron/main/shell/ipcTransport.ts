import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { ResponseEnvelope, RpcEndpoint } from '../../../shared/ipc/envelope';
import { isAppUrl } from './security';

/** The Electron transport: one invoke channel for requests, one send channel for events, same envelopes as WebSocket. */
export const RPC_CHANNEL = 'rpc';
export const EVENT_CHANNEL = 'rpc:event';

type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/**
 * A call is trusted only from our window's main frame showing our app:// origin: not a subframe, not another
 * webContents, not a frame that has navigated away (senderFrame is null once the frame is gone).
 */
export function isTrustedSender(event: SenderEvent, window: WebContents | null): boolean {
  const frame = event.senderFrame;
  return window !== null && event.sender === window && frame !== null && frame.parent === null && isAppUrl(frame.url);
}

function requestId(raw: unknown): number {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : 0;
}

/**
 * Serves the endpoint to whichever window is current (macOS re-creates it on activate). Returns a detach function.
 * Events go only to a page on our origin, so a page that somehow got loaded elsewhere hears nothing.
 */
export function attachIpcTransport(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, endpoint: RpcEndpoint, currentWindow: () => WebContents | null): () => void {
  ipcMain.handle(RPC_CHANNEL, async (event, raw: unknown): Promise<ResponseEnvelope> => {
    if (!isTrustedSender(event, currentWindow())) {
      return { id: requestId(raw), ok: false, error: { code: 'UNAUTHORIZED', message: 'This frame may not call Switchboard.' } };
    }
    return endpoint.handle(raw);
  });
  const unsubscribe = endpoint.subscribe((envelope) => {
    const contents = currentWindow();
    if (contents && !contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(EVENT_CHANNEL, envelope);
  });
  return () => {
    ipcMain.removeHandler(RPC_CHANNEL);
    unsubscribe();
  };
}
