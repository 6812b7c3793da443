import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, test } from './fixtures';
import { contact, customerTexts, openApp, OURS, screenshotDir, sendSettled } from './helpers';

/**
 * The conversation's bubbles and frame as the UX audit found them: a scheduled message's time and place, portrait
 * pictures, the group delivery wording, the contact panel after a failure, and narrow windows. Real app, Sandbox.
 * The toll-free number hears only from customers a spec makes up (the personas text the local numbers).
 */
const ADA = '+19195551234';
const GRACE = '+19195552001';
const ALAN = '+19195552002';
/** The Sandbox fails every message to +1 919 555 4720 with error 4720 (cannot receive messages). */
const INVALID = '+19195554720';

const shoot = async (page: Page, name: string) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.screenshot({ path: join(screenshotDir, `bubbles-${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
};

/** Whether `inner` lies wholly inside `outer` on screen (nothing clipped off an edge). */
async function within(inner: Locator, outer: Locator) {
  const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
  return !!a && !!b && a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;
}

test('a scheduled message shows, and sits at, the time it went; when it was scheduled is in its tooltip', async ({ app, page, rpc }) => {
  const inbound = await customerTexts(rpc, ADA, OURS.tollFree, 'When will my order ship?');
  await openApp(page, app.ready.url, inbound.threadId);
  // Scheduled a few seconds ahead; meanwhile another message goes and the customer answers.
  const scheduled = await sendSettled(rpc, { from: OURS.tollFree, to: [ADA], text: 'Scheduled follow-up: how did it go?', sendAt: Date.now() + 6_000 });
  expect(scheduled.status).toBe('scheduled');
  const went = rpc.next('message.statusChanged', ({ message }) => message.id === scheduled.id && message.status === 'delivered', 30_000);
  await sendSettled(rpc, { from: OURS.tollFree, to: [ADA], text: 'Sent in the meantime.' });
  await customerTexts(rpc, ADA, OURS.tollFree, 'Thanks!');
  const bubble = page.locator(`[data-testid="message"][data-message-id="${scheduled.id}"]`);
  await expect(bubble.locator('time')).toHaveText(/^Sends /);
  await went;

  await expect(bubble).toHaveAttribute('data-status', 'delivered');
  const texts = () => page.getByTestId('message').locator('.text').allTextContents();
  await expect.poll(texts).toEqual(['When will my order ship?', 'Sent in the meantime.', 'Thanks!', 'Scheduled follow-up: how did it go?']);
  const sendAt = scheduled.sendAt!;
  const clock = (t: number) => page.evaluate((ms) => new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(ms), t);
  await expect(bubble.locator('time')).toHaveText(await clock(sendAt));
  await expect(bubble.locator('time')).toHaveAttribute('title', new RegExp(`scheduled at ${await clock(scheduled.createdAt)}$`));
  await shoot(page, 'scheduled');
});

test('a portrait picture keeps its shape in the bubble, within 320 × 360', async ({ app, page, rpc }) => {
  const inbound = await customerTexts(rpc, ADA, OURS.tollFree, 'Can you send the receipt?');
  await openApp(page, app.ready.url, inbound.threadId);
  const tall = await sharp({ create: { width: 400, height: 1200, channels: 3, background: { r: 22, g: 163, b: 74 } } })
    .composite([{ input: Buffer.from('<svg width="400" height="1200"><rect x="60" y="80" width="280" height="1040" rx="24" fill="#ffffff"/></svg>') }])
    .jpeg()
    .toBuffer();
  await page.getByTestId('attachment-input').setInputFiles({ name: 'receipt.jpg', mimeType: 'image/jpeg', buffer: tall });
  await expect(page.getByTestId('attachment-chip')).toHaveAttribute('data-state', 'ready');
  await page.getByTestId('composer-input').fill('Here is the receipt');
  await page.getByTestId('send-button').click();
  const image = page.getByTestId('message').filter({ hasText: 'Here is the receipt' }).getByTestId('message-media').locator('img');
  await expect(image).toHaveJSProperty('complete', true);
  await expect.poll(async () => (await image.boundingBox())?.height).toBeCloseTo(360, 0);
  const box = (await image.boundingBox())!;
  expect(box.width).toBeCloseTo(120, 0);
  await shoot(page, 'portrait');
});

test('a group message says each copy was handed to the carrier, in the tick and in the list alike', async ({ app, page, rpc }) => {
  await contact(rpc, GRACE, 'Grace Hopper');
  await contact(rpc, ALAN, 'Alan Turing');
  const sent = await sendSettled(rpc, { from: OURS.local2, to: [GRACE, ALAN], text: 'The site visit moved to Thursday.' });
  expect(sent.status).toBe('delivered');
  await openApp(page, app.ready.url, sent.threadId);
  const bubble = page.locator(`[data-testid="message"][data-message-id="${sent.id}"]`);
  await expect(bubble.getByTestId('message-status')).toHaveAttribute('title', /^Handed to the carrier.*does not prove/);
  await bubble.getByText('2 of 2 handed to the carrier').click();
  await expect(bubble.getByTestId('delivery')).toHaveText([/Grace Hopper\s*Handed to the carrier/, /Alan Turing\s*Handed to the carrier/]);
  await shoot(page, 'group');
});

test('the contact panel does not say a number can receive texts when the last message to it failed', async ({ app, page, rpc }) => {
  const failed = await sendSettled(rpc, { from: OURS.tollFree, to: [INVALID], text: 'Your appointment is confirmed.' });
  expect(failed.status).toBe('failed');
  await openApp(page, app.ready.url, failed.threadId);
  await page.getByTestId('contact-panel-toggle').click();
  const state = page.getByTestId('opt-out-state');
  await expect(state).toContainText('The last message to (919) 555-4720 failed. The recipient number cannot receive messages');
  await expect(state).toContainText('Error 4720.');
  await expect(state).not.toContainText('Can receive');
  await shoot(page, 'contact-failed');
});

test('narrow windows: the conversation header stays on one line each, and the status bar keeps its items', async ({ app, page, rpc }) => {
  await contact(rpc, ADA, 'Riley Brooks-Fitzgerald Montgomery');
  const inbound = await customerTexts(rpc, ADA, OURS.tollFree, 'STOP');
  await page.setViewportSize({ width: 800, height: 700 });
  await openApp(page, app.ready.url, inbound.threadId);
  const header = page.locator('.conversation-header');
  await expect(header.getByText('Opted out')).toBeVisible();
  const name = header.getByRole('heading', { name: 'Riley Brooks-Fitzgerald Montgomery' });
  const oneLine = (el: Locator) => el.evaluate((e) => e.getBoundingClientRect().height <= parseFloat(getComputedStyle(e).lineHeight) * 1.5);
  for (const width of [800, 420]) {
    await page.setViewportSize({ width, height: width === 800 ? 700 : 800 });
    // Each line of the title is one line, truncated with an ellipsis, and inside the header.
    expect(await oneLine(name)).toBe(true);
    expect(await oneLine(header.locator('.conversation-title .muted'))).toBe(true);
    expect(await within(name, header)).toBe(true);
    expect(await name.evaluate((e) => getComputedStyle(e).textOverflow)).toBe('ellipsis');
    for (const button of await header.getByRole('button').all()) if (await button.isVisible()) expect(await within(button, header)).toBe(true);
    const bar = page.locator('.status-bar');
    expect(await bar.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    for (const id of ['connection-status', 'tunnel-status', 'queue-status', 'simulate-inbound']) {
      // Inside the bar, and whole: not cut short with an ellipsis either.
      expect(await within(page.getByTestId(id), bar), id).toBe(true);
      expect(await page.getByTestId(id).evaluate((e) => e.scrollWidth <= e.clientWidth), id).toBe(true);
    }
    await expect(page.getByTestId('tunnel-status')).toHaveText('Tunnel off');
    await expect(page.getByTestId('queue-status')).toHaveText('Queue empty');
    await shoot(page, `narrow-${width}`);
  }
});
