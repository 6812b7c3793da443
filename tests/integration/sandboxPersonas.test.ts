import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../electron/main/sandbox/index';
import { PERSONAS, startSandbox } from '../../electron/main/sandbox/index';
import { toE164 } from '../../shared/domain/phone';
import type { CallbackEventBody, Receiver } from './sandboxSupport';
import { configureCallbacks, control, getToken, sendMessage, startReceiver, waitFor } from './sandboxSupport';

let sandbox: Sandbox;
let receiver: Receiver;

beforeEach(async () => {
  // Fifty times faster: replies within ~80 ms. Unprompted messages are off here (the last test turns them on),
  // so they cannot interleave with the scripted replies.
  sandbox = await startSandbox({ seed: 11, timeScale: 0.02, classRates: { local: 50 }, delays: { ambientMs: [1e9, 1e9] } });
  receiver = await startReceiver();
  await configureCallbacks(sandbox, receiver);
});
afterEach(async () => {
  await sandbox.stop();
  await receiver.close();
});

const received = () => receiver.events.filter((e) => e.type === 'message-received');
const persona = (name: string) => PERSONAS.find((p) => p.name.startsWith(name))?.number as string;

async function deliveredTo(number: string, text: string, from = '+19195550100'): Promise<CallbackEventBody> {
  const response = await sendMessage(sandbox, { from, to: [number], text });
  const id = (response.body as { id: string }).id;
  return waitFor(() => receiver.events.find((e) => e.message.id === id && (e.type === 'message-delivered' || e.type === 'message-failed')), `outcome of "${text}"`);
}

describe('simulated customers', () => {
  it('have valid phone numbers', () => {
    expect(PERSONAS.length).toBeGreaterThanOrEqual(4);
    for (const p of PERSONAS) expect(toE164(p.number)).toBe(p.number);
  });

  it('reply to what agents send them, to the number that wrote', async () => {
    await control(sandbox, 'POST', '/personas', { paused: false });
    const maya = persona('Maya');
    await deliveredTo(maya, 'Hi Maya, your order shipped');
    const reply = await waitFor(() => received().find((e) => e.message.from === maya && e.message.to.includes('+19195550100')), 'a reply from Maya');
    expect(reply.message.to).toEqual(['+19195550100']);
    expect(reply.message.text.length).toBeGreaterThan(0);
    // Her second reply comes with a generated picture.
    await deliveredTo(maya, 'Could you send a photo?');
    const photo = await waitFor(() => received().find((e) => e.message.from === maya && (e.message.media?.length ?? 0) > 0), 'a photo from Maya');
    const image = await fetch(photo.message.media?.[0] as string, { headers: { Authorization: `Bearer ${await getToken(sandbox)}` } });
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
  });

  it('answer a group as a group', async () => {
    const priya = persona('Priya');
    const sam = persona('Sam');
    const response = await sendMessage(sandbox, { from: '+19195550100', to: [priya, sam], text: 'Both appointments moved to Monday' });
    const id = (response.body as { id: string }).id;
    await waitFor(() => receiver.events.filter((e) => e.message.id === id && e.type === 'message-delivered').length === 2, 'group delivery');
    // The first persona among the recipients answers everyone else: our number and the other customer.
    const reply = await waitFor(() => received().find((e) => e.message.from === priya && e.message.text === 'Sounds good to both of us.'), 'a group reply');
    expect([...reply.message.to].sort()).toEqual(['+19195550100', sam].sort());
    expect(reply.to).toBe('+19195550100');
  });

  it('include someone who asks for HELP and then texts STOP, after which (past the one confirmation) sends fail 4775', async () => {
    const riley = persona('Riley');
    await deliveredTo(riley, 'Welcome!', '+19195550101');
    await waitFor(() => received().find((e) => e.message.from === riley && e.message.text === 'HELP'), 'HELP');
    await deliveredTo(riley, 'Reply STOP to opt out', '+19195550101');
    await waitFor(() => received().find((e) => e.message.from === riley && e.message.text === 'STOP'), 'STOP');
    expect(await deliveredTo(riley, 'You are unsubscribed.', '+19195550101')).toMatchObject({ type: 'message-delivered' });
    expect(await deliveredTo(riley, 'Still there?', '+19195550101')).toMatchObject({ type: 'message-failed', errorCode: 4775 });
  });

  it('write on their own, and stay quiet while paused', async () => {
    await sandbox.stop();
    sandbox = await startSandbox({ seed: 12, timeScale: 0.02 }); // unprompted messages every 0.6-1.2 s
    await configureCallbacks(sandbox, receiver);
    await waitFor(() => received().length >= 2, 'unprompted messages', 15_000);
    await control(sandbox, 'POST', '/personas', { paused: true });
    // An image may be rendering right now; let it land before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = received().length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(received().length).toBe(before);
    await control(sandbox, 'POST', '/personas', { paused: false });
    await waitFor(() => received().length > before, 'messages after resuming', 15_000);
  });
});
