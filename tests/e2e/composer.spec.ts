import { join } from 'node:path';
import type { Page, WebSocketRoute } from '@playwright/test';
import { expect, test } from './fixtures';
import { customerTexts, openApp, OURS, photo, screenshotDir, threadItem } from './helpers';

/** The composer's send path and counter against the real core in browser mode (the UX audit's composer findings). */
const ADA = '+19195551234';
const GRACE = '+19195552001';

const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir, `composer-${name}.png`) });

/** A program that says it is a JPEG: the engine's sniffing rejects it. */
const fakeImage = { name: 'fake-image.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0]) };

/**
 * Holds the window's messages.send requests on their way to the core while `hold` is on, so a spec can type
 * while a send is in flight however fast the local core answers; `release` lets them through.
 */
async function holdSends(page: Page) {
  let holding = false;
  const held: (() => void)[] = [];
  await page.routeWebSocket(/\/rpc/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const forward = () => server.send(message);
      if (holding && typeof message === 'string' && message.includes('"method":"messages.send"')) held.push(forward);
      else forward();
    });
  });
  return {
    hold: () => void (holding = true),
    release: () => {
      holding = false;
      held.splice(0).forEach((forward) => forward());
    },
  };
}

test('what is typed while a send is in flight stays, and a fast burst sends every message once, in order', async ({ app, page, rpc }) => {
  const inbound = await customerTexts(rpc, ADA, OURS.tollFree, 'Any news on my order?');
  const sends = await holdSends(page);
  await openApp(page, app.ready.url, inbound.threadId, 'composer-input');
  const input = page.getByTestId('composer-input');
  sends.hold();
  await input.fill('It shipped this morning.');
  await input.press('Enter');
  await input.pressSequentially('Next thought');
  await expect(input).toHaveValue('Next thought');
  sends.release();
  await expect(page.getByTestId('message').filter({ hasText: 'It shipped this morning.' })).toHaveCount(1);
  await expect(input).toHaveValue('Next thought');
  await input.fill('');
  const burst = Array.from({ length: 6 }, (_, i) => `Burst message ${i + 1}`);
  sends.hold();
  for (const text of burst) {
    await input.pressSequentially(text);
    await input.press('Enter');
  }
  await expect(input).toHaveValue('');
  sends.release();
  const outbound = page.locator('[data-testid="message"][data-direction="out"]');
  await expect(outbound).toHaveCount(7);
  await expect(outbound.filter({ hasText: 'Burst message' })).toHaveText(burst.map((text) => new RegExp(text)));
  await expect(input).toHaveValue('');
  await shot(page, 'burst');
});

test('a rejected file blocks the send with its name, loses nothing, and shows a file icon rather than a broken picture', async ({ app, page, rpc }) => {
  const inbound = await customerTexts(rpc, ADA, OURS.tollFree, 'Can you send photos of the part?');
  await openApp(page, app.ready.url, inbound.threadId, 'composer-input');
  await page.getByTestId('attachment-input').setInputFiles([await photo('receipt.jpg'), fakeImage]);
  const good = page.getByTestId('attachment-chip').filter({ hasText: 'receipt.jpg' });
  const bad = page.getByTestId('attachment-chip').filter({ hasText: 'fake-image.jpg' });
  await expect(good).toHaveAttribute('data-state', 'ready');
  await expect(bad).toHaveAttribute('data-state', 'failed');
  await expect(good.locator('img')).toHaveJSProperty('complete', true);
  expect(await good.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(bad.locator('img')).toHaveCount(0);
  const input = page.getByTestId('composer-input');
  await input.fill('Here are the photos of your replacement part.');
  await input.press('Enter');
  await expect(page.getByTestId('composer-error')).toHaveText('Remove the files that cannot be sent first: fake-image.jpg.');
  await expect(input).toHaveValue('Here are the photos of your replacement part.');
  await expect(page.getByTestId('attachment-chip')).toHaveCount(2);
  await shot(page, 'rejected-file');
  await expect(page.getByTestId('message').filter({ hasText: 'replacement part' })).toHaveCount(0);
  await bad.getByRole('button', { name: 'Remove fake-image.jpg' }).click();
  await expect(page.getByTestId('composer-error')).toHaveCount(0);
  await input.press('Enter');
  await expect(page.getByTestId('message').filter({ hasText: 'replacement part' }).getByTestId('message-media')).toHaveCount(1);
});

test('with files or to a group the counter says MMS, with no segments and no smart-punctuation fix; emoji with a skin tone stay whole', async ({ app, page, rpc }) => {
  const one = await customerTexts(rpc, ADA, OURS.local, 'Hi!');
  await openApp(page, app.ready.url, one.threadId, 'composer-input');
  const input = page.getByTestId('composer-input');
  const counter = page.getByTestId('segment-counter');
  await input.fill('Great work 👍🏽 — thanks');
  await expect(page.getByTestId('ucs2-char')).toHaveText(['👍🏽', '—']);
  await expect(counter).toContainText('1 segment');
  await page.getByTestId('attachment-input').setInputFiles(await photo('receipt.jpg'));
  await expect(page.getByTestId('attachment-chip')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('segment-encoding')).toHaveText('MMS');
  await expect(counter).toContainText('1 of 10 files');
  await expect(counter).toContainText('24 of 1000 characters recommended');
  await expect(counter).not.toContainText('segment');
  await expect(page.getByRole('button', { name: 'Replace smart punctuation' })).toHaveCount(0);
  await shot(page, 'mms-counter');

  const group = await customerTexts(rpc, ADA, [OURS.local, GRACE], 'Hi both');
  await threadItem(page, group.threadId).click();
  await input.fill('See you both at 3 — ok?');
  await expect(page.getByTestId('segment-encoding')).toHaveText('MMS');
  await expect(counter).toContainText('group');
  await expect(counter).not.toContainText('segment');
  await expect(page.getByRole('button', { name: 'Replace smart punctuation' })).toHaveCount(0);
});

/**
 * The window's socket to the core, which a spec can cut: at once (`drop`), or when the core's answer to the next
 * messages.send comes back (`dropAtNextSendAnswer`: the core has the message, the page never hears so). Once cut, the
 * page's attempts to reconnect wait until `reconnect`. `sends` are the messages.send requests that reached the core.
 */
async function cuttableSocket(page: Page) {
  let dropAtAnswer = false;
  let up = Promise.resolve();
  let bringUp = () => {};
  let current: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
  const sends: { id: number; input: { text?: string; clientKey?: string } }[] = [];
  const drop = () => {
    up = new Promise((resolve) => (bringUp = resolve));
    void current?.server.close();
    void current?.page.close();
    current = null;
  };
  await page.routeWebSocket(/\/rpc/, async (ws) => {
    await up;
    const server = ws.connectToServer();
    current = { page: ws, server };
    ws.onMessage((message) => {
      if (typeof message === 'string' && message.includes('"method":"messages.send"')) sends.push(JSON.parse(message));
      server.send(message);
    });
    server.onMessage((message) => {
      // Event batches are arrays; an answer is an object with the request's id.
      const answer = typeof message === 'string' && message.startsWith('{') ? (JSON.parse(message) as { id: number }) : null;
      if (dropAtAnswer && answer && sends.some((s) => s.id === answer.id)) {
        dropAtAnswer = false;
        drop();
      } else ws.send(message);
    });
  });
  return { sends, drop, dropAtNextSendAnswer: () => void (dropAtAnswer = true), reconnect: () => bringUp() };
}

test('a send cut off by a lost connection waits, says so, and goes exactly once when Switchboard is back; Enter while offline queues', async ({ app, page, rpc }) => {
  const inbound = await customerTexts(rpc, ADA, OURS.tollFree, 'Did my refund go through?');
  const socket = await cuttableSocket(page);
  await openApp(page, app.ready.url, inbound.threadId, 'composer-input');
  const input = page.getByTestId('composer-input');
  const waiting = page.getByTestId('composer-waiting');
  const first = 'Yes, it went through this morning.';
  socket.dropAtNextSendAnswer();
  await input.fill(first);
  await input.press('Enter');
  await expect(page.getByTestId('connection-status')).toHaveText('Disconnected');
  // Whether the core got it, the window cannot know: the message neither comes back to the box nor is dropped.
  await expect(waiting).toHaveText('Not connected: 1 message will be sent when Switchboard is back.');
  await expect(input).toHaveValue('');
  await expect(page.getByTestId('composer-error')).toHaveCount(0);
  await input.fill('Anything else I can help with?');
  await input.press('Enter');
  await expect(waiting).toHaveText('Not connected: 2 messages will be sent when Switchboard is back.');
  await input.fill('Still typing');
  await shot(page, 'waiting');

  socket.reconnect();
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await expect(waiting).toHaveCount(0);
  // The line goes as soon as the window is connected; the two messages then go one after the other.
  await expect.poll(() => socket.sends.map((s) => s.input.text)).toEqual([first, first, 'Anything else I can help with?']);
  expect(socket.sends[1]!.input.clientKey).toBe(socket.sends[0]!.input.clientKey);
  const outbound = page.locator('[data-testid="message"][data-direction="out"]');
  await expect(outbound).toHaveCount(2);
  await expect(outbound.filter({ hasText: first })).toHaveCount(1);
  const stored = (await rpc.client.call('messages.list', { threadId: inbound.threadId, limit: 50 })).messages.filter((m) => m.direction === 'out');
  expect(stored.map((m) => m.text).sort()).toEqual(['Anything else I can help with?', first]);
  await expect(input).toHaveValue('Still typing');
});

test('a message written while the core is unreachable is queued, survives a reload, and goes once connected', async ({ app, page, rpc }) => {
  const inbound = await customerTexts(rpc, ADA, OURS.tollFree, 'Hello?');
  const socket = await cuttableSocket(page);
  await openApp(page, app.ready.url, inbound.threadId, 'composer-input');
  socket.drop();
  await expect(page.getByTestId('connection-status')).toHaveText('Disconnected');
  const input = page.getByTestId('composer-input');
  await input.fill('Sent while offline — should not be lost');
  await input.press('Enter');
  await expect(page.getByTestId('composer-waiting')).toHaveText('Not connected: 1 message will be sent when Switchboard is back.');
  await expect(input).toHaveValue('');
  await shot(page, 'offline');

  await page.reload();
  await expect(page.getByTestId('connection-status')).not.toHaveText('Connected');
  expect(await page.evaluate(() => localStorage.getItem('switchboard.outbox'))).toContain('Sent while offline — should not be lost');
  socket.reconnect();
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  // It goes without any conversation being opened (the reload left none open).
  await expect.poll(() => socket.sends.map((s) => s.input.text)).toEqual(['Sent while offline — should not be lost']);
  await threadItem(page, inbound.threadId).click();
  await expect(page.getByTestId('message').filter({ hasText: 'Sent while offline' })).toHaveCount(1);
  await expect(page.getByTestId('composer-waiting')).toHaveCount(0);
  expect(socket.sends.map((s) => s.input.text)).toEqual(['Sent while offline — should not be lost']);
  expect(await page.evaluate(() => localStorage.getItem('switchboard.outbox'))).toBe('[]');
});
