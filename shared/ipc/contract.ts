import { z } from 'zod';
import {
  accountStatus,
  attachment,
  attachmentProgress,
  contact,
  credentialsStatus,
  e164,
  message,
  messageStatus,
  numberClass,
  queueStatus,
  isSenderId,
  searchResult,
  settings,
  thread,
  tunnelState,
} from './schemas';
import { phoneNumber, toE164 } from '../domain/phone';

/**
 * The contract: the only list of RPC methods (`noun.verb`) and events (`noun.pastTense`).
 * Types on both sides are inferred from these schemas.
 */
const limit = z.number().int().min(1).max(500).optional();

const exportFormat = z.enum(['csv', 'json']);
const exportOutput = z.object({ filename: z.string(), contentType: z.string(), content: z.string() });

/** Who a simulated text is from: a phone number in any writing (normalised), or a short code or sender name as written. */
const simulatedSender = z.string().transform((value, ctx) => {
  if (isSenderId(value)) return value;
  const e164 = toE164(value);
  if (!e164) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a phone number, short code or sender name` });
    return z.NEVER;
  }
  return e164;
});

const searchQuery = z
  .object({
    /** Words, `prefix*` and "quoted phrases"; operators in user input are never interpreted. */
    query: z.string().max(500),
    threadId: z.string().optional(),
    number: phoneNumber.optional(),
    direction: z.enum(['in', 'out']).optional(),
    status: messageStatus.optional(),
    hasMedia: z.boolean().optional(),
    since: z.number().int().optional(),
    until: z.number().int().optional(),
    limit,
    before: z.string().optional(),
  })
  .strict();

export const methods = {
  'account.status': { input: z.object({}).strict(), output: accountStatus },
  'queue.status': { input: z.object({}).strict(), output: queueStatus },
  'threads.list': {
    input: z
      .object({
        limit,
        /** Opaque keyset cursor from a previous page's `nextCursor`. */
        before: z.string().optional(),
        view: z.enum(['all', 'unread', 'failed', 'opted-out', 'scheduled']).optional(),
        ourNumber: e164.optional(),
        /**
         * A thread nobody has written in yet is left out of every view, except this one (the thread the agent has open):
         * a conversation started and then left without a message does not stay behind in the list.
         */
        include: z.string().min(1).optional(),
      })
      .strict(),
    output: z.object({ threads: z.array(thread), nextCursor: z.string().nullable() }),
  },
  'threads.get': { input: z.object({ threadId: z.string().min(1) }).strict(), output: z.object({ thread }) },
  /** Finds or creates the thread for (our number, participants); numbers in any writing, normalised. */
  'threads.start': {
    input: z.object({ from: phoneNumber, to: z.array(phoneNumber).min(1).max(10) }).strict(),
    output: z.object({ thread }),
  },
  'threads.markRead': { input: z.object({ threadId: z.string().min(1) }).strict(), output: z.object({ thread }) },
  /** The thread's downloaded files (the contact panel's gallery), newest first; `before` is a previous page's `nextCursor`. */
  'threads.media': {
    input: z.object({ threadId: z.string().min(1), limit, before: z.string().optional() }).strict(),
    output: z.object({
      items: z.array(z.object({ attachment, messageId: z.string(), createdAt: z.number() })),
      nextCursor: z.string().nullable(),
    }),
  },
  'threads.export': {
    input: z.object({ threadId: z.string().min(1), format: exportFormat }).strict(),
    output: exportOutput,
  },
  /**
   * A page of a thread in display order (oldest first). `before`/`after` are cursors from a previous page;
   * `around` is a message id (a jump from search) and returns context on both sides of it.
   */
  'messages.list': {
    input: z
      .object({ threadId: z.string().min(1), limit, before: z.string().optional(), after: z.string().optional(), around: z.string().optional() })
      .strict(),
    output: z.object({ messages: z.array(message), olderCursor: z.string().nullable(), newerCursor: z.string().nullable() }),
  },
  'messages.send': {
    input: z
      .object({
        from: phoneNumber,
        to: z.array(phoneNumber).min(1).max(10),
        text: z.string().max(2048).optional(),
        /** Ids of staged attachments (uploaded to the core's media store). */
        attachments: z.array(z.string().min(1)).max(10).optional(),
        sendAt: z.number().int().positive().optional(),
        priority: z.enum(['default', 'high']).optional(),
        tag: z.string().max(1024).optional(),
        /** An idempotency key the client picks per send: repeating a send with it returns the first message. */
        clientKey: z.string().min(8).max(64).optional(),
      })
      .strict()
      .refine((v) => (v.text ?? '').length > 0 || (v.attachments ?? []).length > 0, {
        message: 'a message needs text or at least one attachment',
        path: ['text'],
      }),
    output: z.object({ message }),
  },
  /** Sends a failed message again for real (a new attempt of the same message); refused when a retry cannot help. */
  'messages.retry': { input: z.object({ messageId: z.string().min(1) }).strict(), output: z.object({ message }) },
  /** Cancels a scheduled or still-queued message. */
  'messages.cancel': { input: z.object({ messageId: z.string().min(1) }).strict(), output: z.object({ message }) },
  /** Forgets a staged attachment that was never sent (the agent removed the chip). */
  'attachments.discard': { input: z.object({ attachmentId: z.string().min(1) }).strict(), output: z.object({}) },
  /** Of these staged attachments, those the core still holds, unsent: a draft restored after a reload checks its files. */
  'attachments.staged': { input: z.object({ attachmentIds: z.array(z.string().min(1)).max(10) }).strict(), output: z.object({ attachments: z.array(attachment) }) },
  'search.query': { input: searchQuery, output: z.object({ results: z.array(searchResult), nextCursor: z.string().nullable() }) },
  'search.export': { input: searchQuery.extend({ format: exportFormat }).strict(), output: exportOutput },
  'contacts.list': { input: z.object({ query: z.string().optional() }).strict(), output: z.object({ contacts: z.array(contact) }) },
  'contacts.upsert': {
    input: z.object({ number: phoneNumber, name: z.string().trim().min(1).max(200), notes: z.string().max(4000).optional() }).strict(),
    output: z.object({ contact }),
  },
  'contacts.delete': { input: z.object({ number: phoneNumber }).strict(), output: z.object({}) },
  /** Imports a CSV (number,name,notes); good rows are kept, bad rows reported by line. */
  'contacts.import': {
    input: z.object({ csv: z.string().max(10 * 1024 * 1024) }).strict(),
    output: z.object({ imported: z.number().int(), errors: z.array(z.object({ line: z.number().int(), message: z.string() })) }),
  },
  'contacts.export': { input: z.object({}).strict(), output: z.object({ csv: z.string() }) },
  'settings.get': { input: z.object({}).strict(), output: settings },
  'settings.update': { input: settings.partial().strict(), output: settings },
  'credentials.status': { input: z.object({}).strict(), output: credentialsStatus },
  /** Saves Live credentials after checking them against the API; secrets go in, never come back out. */
  'credentials.set': {
    input: z
      .object({
        accountId: z.string().trim().min(1),
        applicationId: z.string().trim().min(1),
        auth: z.discriminatedUnion('type', [
          z.object({ type: z.literal('oauth2'), clientId: z.string().min(1), clientSecret: z.string().min(1) }),
          z.object({ type: z.literal('basic'), username: z.string().min(1), password: z.string().min(1) }),
        ]),
        baseUrl: z.url().optional(),
        tokenUrl: z.url().optional(),
        dashboardUrl: z.url().optional(),
        numbers: z.array(z.object({ number: phoneNumber, class: numberClass, mps: z.number().positive().optional() })).max(1000),
        accountMps: z.number().positive().optional(),
      })
      .strict(),
    output: credentialsStatus,
  },
  /** The window says which conversation the agent is looking at (the desktop shell raises no notification for it). */
  'view.set': { input: z.object({ threadId: z.string().min(1).nullable() }).strict(), output: z.object({}) },
  /** Sandbox mode only: a simulated customer (or a service, from a short code or sender name) texts one (or, for a group, several) of our numbers. */
  'sandbox.simulateInbound': {
    input: z
      .object({
        from: simulatedSender,
        to: z.array(phoneNumber).min(1).max(10),
        text: z.string().max(2048).default(''),
        images: z.number().int().min(0).max(10).default(0),
      })
      .strict(),
    output: z.object({}),
  },
  /** Forgets the Live credentials and returns to the Sandbox. */
  'credentials.clear': { input: z.object({}).strict(), output: credentialsStatus },
} as const;

/**
 * What the desktop shell asks of the window (menu item, notification click, sms: link). Only the Electron shell
 * emits it; in browser mode it never fires.
 */
export const appCommand = z.discriminatedUnion('command', [
  z.object({ command: z.literal('open-thread'), threadId: z.string().min(1) }),
  /** Numbers are E.164 where valid, else as written in the link, so the recipient field can say what is wrong. */
  z.object({ command: z.literal('new-conversation'), to: z.array(z.string().max(64)).max(10), text: z.string().max(2048) }),
  z.object({ command: z.literal('focus-search') }),
  z.object({ command: z.literal('show-shortcuts') }),
  z.object({ command: z.literal('open-settings') }),
]);
export type AppCommand = z.infer<typeof appCommand>;

export const events = {
  'message.created': z.object({ message }),
  'message.statusChanged': z.object({ message }),
  /** Anything else about a message changed (an inbound attachment finished downloading). */
  'message.updated': z.object({ message }),
  /** A scheduled or queued message was cancelled and removed. */
  'message.deleted': z.object({ messageId: z.string(), threadId: z.string() }),
  'thread.updated': z.object({ thread }),
  'tunnel.stateChanged': tunnelState,
  'queue.changed': queueStatus,
  'account.changed': accountStatus,
  'view.changed': z.object({ threadId: z.string().nullable() }),
  'settings.changed': settings,
  'attachment.progress': attachmentProgress,
  'app.commandIssued': appCommand,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const isMethodName = (name: string): name is MethodName => Object.hasOwn(methods, name);
export const isEventName = (name: string): name is EventName => Object.hasOwn(events, name);
