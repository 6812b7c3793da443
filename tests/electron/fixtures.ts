import type { Message, Thread } from '../../shared/ipc/schemas';
import { message, thread } from '../../shared/ipc/schemas';
import { aMessage as baseMessage, aThread as baseThread } from '../../renderer/src/testing/fixtures';

/**
 * Contract-valid entities for the shell's tests (an inbound "Hello" in thread t1 by default), built on the
 * renderer's builders and parsed, so a contract change shows up here first.
 */
export const aThread = (over: Partial<Thread> = {}): Thread => thread.parse(baseThread({ lastActivityAt: 1, ...over }));

export const aMessage = (over: Partial<Message> = {}): Message =>
  message.parse(
    baseMessage({
      id: 'm1',
      direction: 'in',
      from: '+19195551234',
      to: ['+19195550100'],
      text: 'Hello',
      status: 'received',
      createdAt: 1,
      updatedAt: 1,
      ...over,
    }),
  );
