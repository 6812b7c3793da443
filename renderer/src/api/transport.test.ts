import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../shared/ipc/envelope';
import { webSocketTransport } from './transport';

/** Just enough of a WebSocket for the transport: the test hands it frames as the server would. */
class FakeSocket {
  static last: FakeSocket | null = null;
  private readonly listeners = new Map<string, ((event: { data?: unknown }) => void)[]>();
  constructor() {
    FakeSocket.last = this;
  }
  addEventListener(type: string, listener: (event: { data?: unknown }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  receive(data: unknown) {
    for (const listener of this.listeners.get('message') ?? []) listener({ data: JSON.stringify(data) });
  }
  send() {}
  close() {}
}

const queueChanged = (depth: number): EventEnvelope => ({ event: 'queue.changed', payload: { depth, scheduled: 0, nextSendAt: null, drainedBy: null } });

describe('webSocketTransport events', () => {
  it('delivers a batch frame in order; a malformed envelope or a failing listener does not lose the others', () => {
    const transport = webSocketTransport('ws://127.0.0.1:1/rpc', FakeSocket as unknown as typeof WebSocket);
    const got: EventEnvelope[] = [];
    transport.onEvent((envelope) => {
      if ((envelope.payload as { depth: number }).depth === 2) throw new Error('listener failed');
      got.push(envelope);
    });
    const seenByAll: number[] = [];
    transport.onEvent((envelope) => seenByAll.push((envelope.payload as { depth: number }).depth));

    // The listener's error still surfaces (as it did when each event had its own frame), after the whole batch.
    expect(() => FakeSocket.last!.receive([queueChanged(1), { nope: true }, queueChanged(2), queueChanged(3)])).toThrow('listener failed');
    expect(got).toEqual([queueChanged(1), queueChanged(3)]);
    expect(seenByAll).toEqual([1, 2, 3]);

    FakeSocket.last!.receive([queueChanged(4)]);
    expect(got.at(-1)).toEqual(queueChanged(4));
    transport.close();
  });
});
