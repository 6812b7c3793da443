import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../electron/main/sandbox/index';
import { startSandbox } from '../../electron/main/sandbox/index';
import type { CallbackEventBody, Receiver } from './sandboxSupport';
import { api, configureCallbacks, control, dashboard, getToken, sendMessage, startReceiver, waitFor } from './sandboxSupport';

let sandbox: Sandbox;
let receiver: Receiver;

// Compressed timings so each scenario takes well under a second.
const FAST = {
  personas: false,
  seed: 42,
  delays: { sendingMs: [10, 30] as [number, number], sentMs: [20, 50] as [number, number], deliveredMs: [60, 120] as [number, number], dlrTimeoutMs: [200, 250] as [number, number] },
  callbackSchedule: { retryDelaysMs: [50, 100, 200] },
};

beforeEach(async () => {
  sandbox = await startSandbox(FAST);
  receiver = await startReceiver();
  await configureCallbacks(sandbox, receiver);
});
afterEach(async () => {
  await sandbox.stop();
  await receiver.close();
});

const terminal = (e: CallbackEventBody) => e.type === 'message-delivered' || e.type === 'message-failed';
const eventsOf = (id: string) => receiver.events.filter((e) => e.message.id === id);

async function send(message: Record<string, unknown>): Promise<string> {
  const response = await sendMessage(sandbox, { from: '+19195550100', ...message });
  expect(response.status).toBe(202);
  return (response.body as { id: string }).id;
}

async function finals(id: string, recipients: number): Promise<CallbackEventBody[]> {
  return waitFor(() => {
    const done = eventsOf(id).filter(terminal);
    return done.length >= recipients && done;
  }, `${recipients} terminal callback(s) for ${id}`);
}

describe('sandbox callbacks', () => {
  it('challenges first: no credentials on the first POST, credentials only after 401 + WWW-Authenticate', async () => {
    const id = await send({ to: ['+19845550199'], text: 'hello' });
    await finals(id, 1);
    const forMessage = receiver.requests.filter((r) => Array.isArray(r.body) && (r.body as CallbackEventBody[])[0]?.message.id === id);
    for (const type of ['message-sent', 'message-delivered']) {
      const attempts = forMessage.filter((r) => (r.body as CallbackEventBody[])[0]?.type === type);
      expect(attempts.map((r) => [r.headers.authorization === undefined, r.status])).toEqual([
        [true, 401],
        [false, 200],
      ]);
    }
    const request = forMessage.find((r) => r.status === 200);
    expect(request?.path).toBe('/status');
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request?.headers['user-agent']).toBe('BandwidthAPI/v2');
    expect(Array.isArray(request?.body)).toBe(true);
  });

  it('does not send credentials to a receiver whose 401 carries no WWW-Authenticate', async () => {
    const silent = await startReceiver({ challengeHeader: false });
    try {
      await configureCallbacks(sandbox, silent);
      await send({ to: ['+19845550199'], text: 'hello' });
      await waitFor(() => silent.requests.length >= 3, 'several attempts');
      expect(silent.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
      expect(silent.events).toHaveLength(0);
    } finally {
      await silent.close();
    }
  });

  it('SMS: message-sent then exactly one message-delivered, with text "" and the tag echoed', async () => {
    const id = await send({ to: ['+19845550199'], text: 'hello', tag: 'order-7' });
    const [delivered] = await finals(id, 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const types = eventsOf(id).map((e) => e.type);
    expect(types).toEqual(['message-sent', 'message-delivered']);
    expect(delivered).toMatchObject({ type: 'message-delivered', to: '+19845550199', description: 'ok' });
    expect(delivered?.message).toMatchObject({ id, text: '', tag: 'order-7', direction: 'out', owner: '+19195550100', from: '+19195550100', segmentCount: 1 });
  });

  it('MMS: message-sending, message-sent, then delivered to carrier', async () => {
    const id = await send({ to: ['+19845550199'], text: 'look', media: ['https://example.com/cat.png'] });
    await finals(id, 1);
    expect(eventsOf(id).map((e) => e.type)).toEqual(['message-sending', 'message-sent', 'message-delivered']);
    expect(eventsOf(id)[2]).toMatchObject({ description: 'Message delivered to carrier' });
    expect(eventsOf(id)[0]?.message.media).toEqual(['https://example.com/cat.png']);
  });

  it('group: one terminal event per recipient, told apart by the top-level to', async () => {
    const to = ['+19845550191', '+19195554720', '+19845550193'];
    const id = await send({ to, text: 'team update' });
    const done = await finals(id, 3);
    expect(done.map((e) => e.to).sort()).toEqual([...to].sort());
    for (const event of done) expect(event.message.to).toEqual(to);
    expect(done.find((e) => e.to === '+19195554720')).toMatchObject({ type: 'message-failed', errorCode: 4720 });
    expect(done.filter((e) => e.type === 'message-delivered')).toHaveLength(2);
    const list = await api(sandbox, 'GET', '/users/{accountId}/messages', { query: { messageId: id } });
    const rows = (list.body as { messages: { destinationTn: string; messageStatus: string; errorCode: number }[] }).messages;
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.destinationTn === '+19195554720')).toMatchObject({ messageStatus: 'UNDELIVERED', errorCode: 4720 });
  });

  it('fails the documented test numbers with their error codes', async () => {
    const codes = [4720, 4775, 4770, 4432, 4411, 5600, 9902];
    const ids = new Map<number, string>();
    for (const code of codes) ids.set(code, await send({ from: '+19195550103', to: [`+1919555${code}`], text: `test ${code}` }));
    for (const code of codes) {
      const id = ids.get(code) as string;
      const [event] = await finals(id, 1);
      expect(event).toMatchObject({ type: 'message-failed', errorCode: code });
      expect(eventsOf(id).filter(terminal)).toHaveLength(1);
    }
    // Bandwidth-side rejections never reach the carrier; carrier failures were sent first.
    expect(eventsOf(ids.get(4432) as string).map((e) => e.type)).toEqual(['message-failed']);
    expect(eventsOf(ids.get(4720) as string).map((e) => e.type)).toEqual(['message-sent', 'message-failed']);
    // A destination outside North America fails like the example 4432.
    const mexico = await send({ to: ['+525512345678'], text: 'hola' });
    expect((await finals(mexico, 1))[0]).toMatchObject({ errorCode: 4432, description: 'forbidden to country' });
  });

  it('fails MMS whose sandbox media is missing (4410) or too large for toll-free (4411)', async () => {
    const token = await getToken(sandbox);
    const mediaUrl = `${sandbox.baseUrl}/users/${sandbox.accountId}/media/big.jpg`;
    await fetch(mediaUrl, { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/jpeg' }, body: Buffer.alloc(600 * 1024) });
    const tooBig = await send({ from: '+18885550102', to: ['+19845550199'], media: [mediaUrl] });
    const fineLocal = await send({ from: '+19195550100', to: ['+19845550199'], media: [mediaUrl] });
    const missing = await send({ to: ['+19845550199'], media: [`${sandbox.baseUrl}/users/${sandbox.accountId}/media/nope.jpg`] });
    expect((await finals(tooBig, 1))[0]).toMatchObject({ errorCode: 4411 });
    expect((await finals(fineLocal, 1))[0]).toMatchObject({ type: 'message-delivered' });
    expect((await finals(missing, 1))[0]).toMatchObject({ errorCode: 4410 });
  });

  it('retries with back-off when the receiver answers 500, until it accepts', async () => {
    receiver.failNext(2, 500);
    const id = await send({ to: ['+19845550199'], text: 'retry me' });
    await finals(id, 1);
    const failed = receiver.requests.filter((r) => r.status === 500);
    expect(failed).toHaveLength(2);
    const log = await control<{ attempts: { messageId: string; outcome: string }[] }>(sandbox, 'GET', '/callbacks');
    expect(log.body.attempts.filter((a) => a.messageId === id && a.outcome === 'failed')).toHaveLength(2);
  });

  it('retries while the receiver is unreachable and delivers once it is back', async () => {
    const port = Number(new URL(receiver.url).port);
    await receiver.close();
    const id = await send({ to: ['+19845550199'], text: 'are you there?' });
    await waitFor(async () => {
      const log = await control<{ attempts: { messageId: string; outcome: string; error?: string }[] }>(sandbox, 'GET', '/callbacks');
      return log.body.attempts.filter((a) => a.messageId === id && a.outcome === 'failed').length >= 2;
    }, 'failed attempts while unreachable');
    const { createServer } = await import('node:http');
    const events: CallbackEventBody[] = [];
    const back = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (!req.headers.authorization) return res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' }).end();
        events.push(...(JSON.parse(Buffer.concat(chunks).toString()) as CallbackEventBody[]));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => back.listen(port, '127.0.0.1', resolve));
    try {
      await waitFor(() => events.some((e) => e.message.id === id && terminal(e)), 'delivery after coming back');
    } finally {
      await new Promise<void>((resolve) => {
        back.close(() => resolve());
        back.closeAllConnections();
      });
    }
  });

  it('holds callbacks while the control API has them offline', async () => {
    await control(sandbox, 'POST', '/callbacks/offline', { durationMs: 400 });
    const id = await send({ to: ['+19845550199'], text: 'later' });
    await finals(id, 1);
    const log = await control<{ attempts: { messageId: string; error?: string }[] }>(sandbox, 'GET', '/callbacks');
    expect(log.body.attempts.some((a) => a.messageId === id && a.error === 'callbacks offline')).toBe(true);
  });

  it('keeps callbacks pending until the application has URLs, then delivers them', async () => {
    const bare = await startSandbox(FAST);
    try {
      const response = await sendMessage(bare, { from: '+19195550100', to: ['+19845550199'], text: 'early' });
      const id = (response.body as { id: string }).id;
      await waitFor(async () => (await control<{ pendingCallbacks: number }>(bare, 'GET', '')).body.pendingCallbacks >= 2, 'pending callbacks');
      await configureCallbacks(bare, receiver);
      await waitFor(() => eventsOf(id).filter(terminal).length === 1 && eventsOf(id), 'delivery after configuration');
    } finally {
      await bare.stop();
    }
  });

  it('duplicates callbacks when asked (at-least-once), and drops them when asked', async () => {
    await control(sandbox, 'PATCH', '/settings', { callbackDuplicateRate: 1 });
    const dup = await send({ to: ['+19845550199'], text: 'twice' });
    await waitFor(() => eventsOf(dup).filter(terminal).length === 2, 'duplicated terminal event');
    expect(eventsOf(dup).filter(terminal).map((e) => e.type)).toEqual(['message-delivered', 'message-delivered']);

    await control(sandbox, 'PATCH', '/settings', { callbackDuplicateRate: 0, callbackDropRate: 1 });
    const dropped = await send({ to: ['+19845550199'], text: 'lost' });
    await waitFor(async () => {
      const log = await control<{ attempts: { messageId: string; outcome: string }[] }>(sandbox, 'GET', '/callbacks');
      return log.body.attempts.filter((a) => a.messageId === dropped && a.outcome === 'dropped').length >= 2;
    }, 'dropped callbacks');
    expect(eventsOf(dropped)).toHaveLength(0);
    expect((await control(sandbox, 'PATCH', '/settings', { callbackDropRate: 2 })).status).toBe(400);
  });

  it('reorders callbacks when asked, still delivering every one', async () => {
    // Each callback waits a random 0-1.5 s more, while "delivered" follows "sent" by ~0.1 s: across 20
    // recipients some terminal events overtake their message-sent (all 20 in order: about 1 in 10^5).
    await control(sandbox, 'PATCH', '/settings', { callbackReorderMs: 1500 });
    const ids: string[] = [];
    for (let g = 0; g < 2; g += 1) {
      ids.push(await send({ from: '+19195550103', to: Array.from({ length: 10 }, (_, i) => `+198455501${g}${i}`), text: `group ${g}` }));
    }
    for (const id of ids) await finals(id, 10);
    const overtaken = receiver.events.filter((e, index) => terminal(e) && !receiver.events.slice(0, index).some((s) => s.type === 'message-sent' && s.message.id === e.message.id && s.to === e.to));
    expect(overtaken.length).toBeGreaterThan(0);
  });

  it('delivers inbound messages with fetchable media to the inbound URL; after STOP only the confirmation gets through, then 4775', async () => {
    const trigger = await control<{ messageIds: string[] }>(sandbox, 'POST', '/inbound', { from: '+19845550177', to: '+19195550101', text: 'photo attached', images: 2 });
    expect(trigger.status).toBe(201);
    const [id] = trigger.body.messageIds;
    const event = await waitFor(() => receiver.events.find((e) => e.message.id === id), 'message-received');
    expect(event).toMatchObject({ type: 'message-received', to: '+19195550101', description: 'Incoming message received' });
    expect(event.message).toMatchObject({ direction: 'in', owner: '+19195550101', from: '+19845550177', text: 'photo attached', to: ['+19195550101'] });
    expect(receiver.requests.find((r) => r.status === 200 && (r.body as CallbackEventBody[])[0]?.message.id === id)?.path).toBe('/inbound');
    const media = event.message.media ?? [];
    expect(media).toHaveLength(2);
    expect(media[0]).toBe(`${sandbox.baseUrl}/users/${sandbox.accountId}/media/${id}/0/picture-1.jpg`);
    const image = await fetch(media[1] as string, { headers: { Authorization: `Bearer ${await getToken(sandbox)}` } });
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');

    await control(sandbox, 'POST', '/inbound', { from: '+19845550177', to: '+19195550101', text: ' Stop ' });
    const confirmation = await send({ from: '+19195550101', to: ['+19845550177'], text: 'You are unsubscribed.' });
    expect((await finals(confirmation, 1))[0]).toMatchObject({ type: 'message-delivered' });
    const blocked = await send({ from: '+19195550101', to: ['+19845550177'], text: 'are you sure?' });
    expect((await finals(blocked, 1))[0]).toMatchObject({ type: 'message-failed', errorCode: 4775 });
    // The opt-out is per pair of numbers: another sender still reaches them.
    const other = await send({ from: '+19195550100', to: ['+19845550177'], text: 'hi from the other line' });
    expect((await finals(other, 1))[0]).toMatchObject({ type: 'message-delivered' });
    await control(sandbox, 'POST', '/inbound', { from: '+19845550177', to: '+19195550101', text: 'START' });
    const again = await send({ from: '+19195550101', to: ['+19845550177'], text: 'welcome back' });
    expect((await finals(again, 1))[0]).toMatchObject({ type: 'message-delivered' });
  });

  it('delivers a message between two of our numbers as inbound too, with its sandbox media', async () => {
    const token = await getToken(sandbox);
    const uploaded = `${sandbox.baseUrl}/users/${sandbox.accountId}/media/notes/plan.txt`;
    await fetch(uploaded, { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' }, body: 'the plan' });
    const id = await send({ to: ['+19195550101'], text: 'note to self', media: [uploaded] });
    const inbound = await waitFor(() => receiver.events.find((e) => e.type === 'message-received' && e.message.text === 'note to self'), 'loop-back inbound');
    expect(inbound.message.id).not.toBe(id);
    expect(inbound).toMatchObject({ to: '+19195550101', message: { from: '+19195550100', owner: '+19195550101', direction: 'in' } });
    const copy = await fetch(inbound.message.media?.[0] as string, { headers: { Authorization: `Bearer ${token}` } });
    expect(await copy.text()).toBe('the plan');
    expect(inbound.message.media?.[0]).toContain(`/media/${inbound.message.id}/0/plan.txt`);
  });

  it('gives every owned recipient of an inbound group message its own event and id', async () => {
    const trigger = await control<{ messageIds: string[] }>(sandbox, 'POST', '/inbound', { from: '+19845550177', to: ['+19195550100', '+19195550101', '+19845550178'], text: 'hi all' });
    expect(trigger.body.messageIds).toHaveLength(2);
    const events = await waitFor(() => {
      const found = receiver.events.filter((e) => e.type === 'message-received' && trigger.body.messageIds.includes(e.message.id));
      return found.length === 2 && found;
    }, 'two inbound events');
    expect(events.map((e) => e.to).sort()).toEqual(['+19195550100', '+19195550101']);
    for (const event of events) {
      expect(event.message.owner).toBe(event.to);
      expect(event.message.to).toEqual(['+19195550100', '+19195550101', '+19845550178']);
    }
  });

  it('follows RequestedCallbackTypes and the callback URLs the Dashboard sets', async () => {
    await dashboard(sandbox, 'PATCH', `/applications/${sandbox.applicationId}`, '<Application><RequestedCallbackTypes><CallbackType>message-delivered</CallbackType><CallbackType>message-failed</CallbackType></RequestedCallbackTypes></Application>');
    const id = await send({ to: ['+19845550199'], text: 'quiet', media: ['https://example.com/a.png'] });
    await finals(id, 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(eventsOf(id).map((e) => e.type)).toEqual(['message-delivered']);
  });

  it('gives up on a receiver that does not answer within the timeout, and retries', async () => {
    const slow = await startSandbox({ ...FAST, callbackSchedule: { retryDelaysMs: [50], timeoutMs: 150 } });
    const { createServer } = await import('node:http');
    const hanging = createServer(() => {}); // never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const port = (hanging.address() as { port: number }).port;
      await configureCallbacks(slow, { ...receiver, url: `http://127.0.0.1:${port}` });
      const response = await sendMessage(slow, { from: '+19195550100', to: ['+19845550199'], text: 'hello?' });
      const id = (response.body as { id: string }).id;
      await waitFor(async () => {
        const log = await control<{ attempts: { messageId: string; outcome: string; status: number | null }[] }>(slow, 'GET', '/callbacks');
        return log.body.attempts.filter((a) => a.messageId === id && a.outcome === 'failed' && a.status === null).length >= 2;
      }, 'timed-out attempts');
    } finally {
      await slow.stop();
      await new Promise<void>((resolve) => {
        hanging.close(() => resolve());
        hanging.closeAllConnections();
      });
    }
  });

  it('stops cleanly: no timers or sockets left behind', async () => {
    const count = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'TCPServerWrap').length;
    const before = count();
    const busy = await startSandbox({ ...FAST, personas: true, delays: { ...FAST.delays, ambientMs: [50, 100] } });
    await configureCallbacks(busy, receiver);
    await sendMessage(busy, { from: '+19195550100', to: ['+19845550199', '+19845550151'], text: 'in flight' });
    await control(busy, 'PATCH', '/settings', { latencyMs: 5000 });
    const pending = fetch(`${busy.baseUrl}/users/${busy.accountId}/media`).catch(() => 'closed');
    expect(count()).toBeGreaterThan(before);
    await busy.stop();
    await pending;
    expect(count()).toBe(before);
  });

  it('answers API calls with injected failures from the control API', async () => {
    await control(sandbox, 'POST', '/fail-next', { count: 1, status: 429 });
    expect((await sendMessage(sandbox, { from: '+19195550100', to: ['+19845550199'], text: 'x' })).status).toBe(429);
    expect((await sendMessage(sandbox, { from: '+19195550100', to: ['+19845550199'], text: 'x' })).status).toBe(202);
    await control(sandbox, 'PATCH', '/settings', { apiErrorRate: 1 });
    const failing = await sendMessage(sandbox, { from: '+19195550100', to: ['+19845550199'], text: 'x' });
    expect(failing.status).toBe(500);
    expect(failing.body).toMatchObject({ type: 'internal-server-error' });
  });
});
