import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, test } from './fixtures';
import { customerTexts, openApp, OURS, photo, record, screenshotDir, threadItem } from './helpers';

/** The composer's whole draft across a reload, send-later, and the attachment chips (the UX audit's composer findings). */
const ADA = '+19195551234';

const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir, `composerDraft-${name}.png`) });

/** A value for the send-later picker, `fromNowMs` ahead in the page's own time zone. */
const localInput = (page: Page, fromNowMs: number) =>
  page.evaluate((ms) => {
    const t = Date.now() + ms;
    return new Date(t - new Date(t).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  }, fromNowMs);

/** Opens send-later, sets the time and presses Schedule. */
async function scheduleAt(page: Page, value: string) {
  await page.getByRole('button', { name: 'Send later and options' }).click();
  await page.getByTestId('send-at').fill(value);
  await page.getByTestId('send-at-confirm').click();
}

/** A 6 MB photo of noise: the engine takes a second or more to bring it under 1 MB, to about 900 KB. */
async function hugePhoto() {
  const side = 1500;
  const raw = randomBytes(side * side * 3);
  const buffer = await sharp(raw, { raw: { width: side, height: side, channels: 3 } }).png().toBuffer();
  return { name: 'site-photo.png', mimeType: 'image/png', buffer };
}

const fakeImage = { name: 'fake-image.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0]) };

test('the whole draft survives a reload: text, staged picture, send-later time, priority and tag; a file the engine lost is said plainly', async ({ app, page, rpc }) => {
  const inbound = await customerTexts(rpc, ADA, OURS.local, 'Can you remind me tomorrow?');
  await openApp(page, app.ready.url, inbound.threadId, 'composer-input');
  const input = page.getByTestId('composer-input');
  // With nothing to send yet, Schedule arms the composer and says what Enter will do.
  await scheduleAt(page, await localInput(page, 2 * 3_600_000));
  await expect(page.getByTestId('send-later-note')).toContainText(/Enter will schedule this for (today|tomorrow) /);
  await expect(page.locator('[data-testid="message"][data-direction="out"]')).toHaveCount(0);
  await input.fill('Your pickup is ready, see the photo.');
  await page.getByTestId('attachment-input').setInputFiles([await photo('pickup.jpg'), await photo('spare.jpg', [22, 163, 74])]);
  await expect(page.getByTestId('attachment-chip').and(page.locator('[data-state="ready"]'))).toHaveCount(2);
  await page.getByRole('button', { name: 'Send later and options' }).click();
  await page.getByRole('checkbox', { name: /High priority/ }).check();
  await page.getByTestId('send-tag').fill('pickup-7');
  await page.getByRole('button', { name: 'Close' }).click();

  // The engine loses one staged file while the page is away (the agent removed it in another window, or a day passed).
  const spare = await page.evaluate(() => {
    const parts = JSON.parse(localStorage.getItem('switchboard.draftParts') ?? '{}') as Record<string, { chips: { name: string; attachment: { id: string } }[] }>;
    return Object.values(parts)[0]!.chips.find((c) => c.name === 'spare.jpg')!.attachment.id;
  });
  await rpc.client.call('attachments.discard', { attachmentId: spare });
  await page.reload();
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await threadItem(page, inbound.threadId).click();

  await expect(input).toHaveValue('Your pickup is ready, see the photo.');
  await expect(page.getByTestId('send-later-note')).toContainText(/Enter will schedule this for (today|tomorrow) /);
  const kept = page.getByTestId('attachment-chip').filter({ hasText: 'pickup.jpg' });
  const lost = page.getByTestId('attachment-chip').filter({ hasText: 'spare.jpg' });
  await expect(kept).toHaveAttribute('data-state', 'ready');
  await expect(kept.locator('img')).toHaveJSProperty('complete', true);
  expect(await kept.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(lost).toHaveAttribute('data-state', 'failed');
  await expect(lost).toContainText('spare.jpg could not be restored: Switchboard no longer has it. Remove it and attach it again.');
  await page.getByRole('button', { name: 'Send later and options' }).click();
  await expect(page.getByRole('checkbox', { name: /High priority/ })).toBeChecked();
  await expect(page.getByTestId('send-tag')).toHaveValue('pickup-7');
  await page.getByRole('button', { name: 'Close' }).click();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await shot(page, `restored-${scheme}`);
  }

  // Enter will not send without the lost file; removing it, Enter schedules the rest as it was set.
  await input.press('Enter');
  await expect(page.getByTestId('composer-error')).toHaveText('Remove the files that cannot be sent first: spare.jpg.');
  await lost.getByRole('button', { name: 'Remove spare.jpg' }).click();
  await input.press('Enter');
  const sent = page.locator('[data-testid="message"][data-direction="out"]');
  await expect(sent).toHaveCount(1);
  await expect(sent).toHaveAttribute('data-status', 'scheduled');
  await expect(sent.getByTestId('message-media')).toHaveCount(1);
  const { messages } = await rpc.client.call('messages.list', { threadId: inbound.threadId });
  expect(messages.filter((m) => m.direction === 'out').map((m) => [m.text, m.status, m.priority, m.tag, m.attachments.map((a) => a.name)])).toEqual([
    ['Your pickup is ready, see the photo.', 'scheduled', 'high', 'pickup-7', ['pickup.jpg']],
  ]);
});

test('Schedule queues the message at once; a past time is refused inline; a time that passed before sending is not sent at once; Enter on nothing does nothing', async ({ app, page, rpc }) => {
  const inbound = await customerTexts(rpc, ADA, OURS.local, 'When is my appointment?');
  await openApp(page, app.ready.url, inbound.threadId, 'composer-input');
  const input = page.getByTestId('composer-input');
  const outbound = page.locator('[data-testid="message"][data-direction="out"]');

  await input.press('Enter');
  await expect(page.getByTestId('composer-error')).toHaveCount(0);

  await input.fill('Reminder: your appointment is at 3 PM.');
  await page.getByRole('button', { name: 'Send later and options' }).click();
  await page.getByTestId('send-at').fill('2020-01-01T10:00');
  await page.getByTestId('send-at-confirm').click();
  await expect(page.getByTestId('send-at-error')).toHaveText(/^That time \(Jan 1, 2020, 10:00\sAM\) has passed: pick a time in the future\.$/);
  await expect(page.getByRole('dialog', { name: 'Send later and options' })).toBeVisible();
  await shot(page, 'past-time');
  await page.getByTestId('send-at').fill(await localInput(page, 3_600_000));
  await expect(page.getByTestId('send-at-error')).toHaveCount(0);
  await page.getByTestId('send-at-confirm').click();
  await expect(outbound).toHaveCount(1);
  await expect(outbound).toHaveAttribute('data-status', 'scheduled');
  await expect(input).toHaveValue('');
  await expect(page.getByTestId('send-later-note')).toHaveCount(0);

  // A draft armed for a time that passes before it is sent (here: the page was away meanwhile).
  await page.evaluate((threadId) => {
    const options = { sendAt: Date.now() - 60_000, priority: 'default', tag: '' };
    localStorage.setItem('switchboard.draftParts', JSON.stringify({ [threadId]: { chips: [], options } }));
    localStorage.setItem('switchboard.drafts', JSON.stringify({ [threadId]: 'Running 10 minutes late.' }));
  }, inbound.threadId);
  await page.reload();
  await threadItem(page, inbound.threadId).click();
  await expect(input).toHaveValue('Running 10 minutes late.');
  await input.press('Enter');
  await expect(page.getByTestId('composer-error')).toContainText(/^The send-later time \((today|yesterday) .+\) has passed, so nothing was sent\./);
  await expect(input).toHaveValue('Running 10 minutes late.');
  await expect(outbound).toHaveCount(1);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await shot(page, `time-passed-${scheme}`);
  }
  await page.getByTestId('composer-error').getByRole('button', { name: 'Send now' }).click();
  await expect(outbound).toHaveCount(2);
  await expect(outbound.last()).toContainText('Running 10 minutes late.');
  await expect(outbound.last()).not.toHaveAttribute('data-status', 'scheduled');
  await expect(page.getByTestId('composer-error')).toHaveCount(0);
});

test('chips count only files that can be sent, say "Resizing…" while the engine works, and warn at once when the files exceed a toll-free sender’s 525 KB', async ({ app, page, rpc }) => {
  const inbound = await customerTexts(rpc, ADA, OURS.tollFree, 'Send me a photo of the site');
  await openApp(page, app.ready.url, inbound.threadId, 'composer-input');
  await page.getByTestId('attachment-input').setInputFiles([await photo('receipt.jpg'), fakeImage]);
  await expect(page.getByTestId('attachment-chip').filter({ hasText: 'fake-image.jpg' })).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('attachment-chip').filter({ hasText: 'receipt.jpg' })).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('segment-counter')).toContainText('1 of 10 files');
  await page.getByRole('button', { name: 'Remove fake-image.jpg' }).click();
  await page.getByRole('button', { name: 'Remove receipt.jpg' }).click();

  const phases = await record(page, 'phases', '[data-testid="chip-phase"]', null);
  await page.getByTestId('attachment-input').setInputFiles(await hugePhoto());
  const chip = page.getByTestId('attachment-chip');
  await expect(chip).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  expect(await phases()).toContainEqual(expect.stringMatching(/ · Resizing…$/));
  await expect(chip).toContainText(/was resized from 6\.\d MB to \d+ KB so carriers accept it\./);
  await expect(page.getByTestId('attachments-too-large')).toHaveText(/^The files add up to \d+ KB; a message from a toll-free number may carry at most 525 KB\. Remove a file before sending\.$/);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await shot(page, `too-large-${scheme}`);
  }
  const input = page.getByTestId('composer-input');
  await input.fill('The site this morning');
  await input.press('Enter');
  await expect(page.getByTestId('composer-error')).toHaveText(/^Not sent: The files add up to \d+ KB; a message from a toll-free number may carry at most 525 KB\. Your text is back in the box\.$/);
  await expect(input).toHaveValue('The site this morning');
});
