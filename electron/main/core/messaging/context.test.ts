import { describe, expect, it } from 'vitest';
import { threadKey } from '../../../../shared/domain/threadKey';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import { insertMessage } from '../store/messages';
import { upsertThread } from '../store/threads';
import type { EngineContext } from './context';
import { publish } from './context';

describe('publish', () => {
  const temp = useTempDatabase('sb-publish-');

  it('announces a thread with every new message, but with a status change only when that message is its preview', () => {
    const emitted: { event: string; id: string }[] = [];
    const ctx = { db: temp.db, bus: { emit: (event: string, payload: { message?: { id: string }; thread?: { id: string } }) => emitted.push({ event, id: (payload.message ?? payload.thread)!.id }) } } as unknown as EngineContext;
    const thread = upsertThread(temp.db, threadKey('+19195550100', ['+19195551234']), 1).id;
    const send = (at: number) =>
      insertMessage(temp.db, { threadId: thread, direction: 'out', from: '+19195550100', to: ['+19195551234'], text: `order ${at}`, status: 'queued', createdAt: at, segments: 1, encoding: 'GSM-7' });
    const older = send(1);
    const newer = send(2);

    publish(ctx, 'message.created', [older, newer]);
    expect(emitted).toEqual([{ event: 'message.created', id: older.id }, { event: 'message.created', id: newer.id }, { event: 'thread.updated', id: thread }]);
    emitted.length = 0;
    publish(ctx, 'message.statusChanged', [older]);
    expect(emitted).toEqual([{ event: 'message.statusChanged', id: older.id }]);
    emitted.length = 0;
    publish(ctx, 'message.statusChanged', [older, newer]);
    expect(emitted).toEqual([{ event: 'message.statusChanged', id: older.id }, { event: 'message.statusChanged', id: newer.id }, { event: 'thread.updated', id: thread }]);
  });
});
