import { expect, test } from './fixtures';
import { send, startConversation } from './helpers';

/** The end-to-end flows against the real core in browser mode on the Sandbox. */
const MAYA = '+19845550151';
const PRIYA = '+13365550153';
const SAM = '+17045550154';
const RILEY = '+12125550155';

test('send an SMS and watch it reach delivered; the thread and its messages survive a restart', async ({ app, page }) => {
  await page.goto(app.ready.url);
  await startConversation(page, MAYA);
  const sent = await send(page, 'Hello Maya, your order shipped.');
  await expect(sent).toHaveAttribute('data-status', 'delivered', { timeout: 20_000 });
  await expect(sent.getByTestId('message-status')).toHaveAttribute('title', 'Delivered to the phone');

  const ready = await app.restart();
  await page.goto(ready.url);
  await page.getByTestId('thread-item').filter({ hasText: 'Maya' }).or(page.getByTestId('thread-item').filter({ hasText: '(984) 555-0151' })).first().click();
  await expect(page.getByTestId('message').filter({ hasText: 'Hello Maya, your order shipped.' })).toHaveAttribute('data-status', 'delivered');
});

test('a failed send shows why in plain words, and Retry sends it again', async ({ app, page }) => {
  await page.goto(app.ready.url);
  // The Sandbox fails +1 919 555 CCCC with error CCCC; 4702 (phone unavailable) is worth a retry.
  await startConversation(page, '+19195554702');
  const failed = await send(page, 'Your appointment is at 3 pm.');
  await expect(failed).toHaveAttribute('data-status', 'failed', { timeout: 20_000 });
  await expect(failed.locator('.failure')).toContainText("The recipient's phone is unavailable");
  await expect(failed.locator('.failure')).toContainText('Error 4702');
  const id = await failed.getAttribute('data-message-id');
  // Record every status the bubble shows, so the retry's way back through the queue is seen however fast it is.
  await page.evaluate((messageId) => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    new MutationObserver(() => {
      const status = document.querySelector(`[data-message-id="${messageId}"]`)?.getAttribute('data-status');
      if (status && seen.at(-1) !== status) seen.push(status);
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-status'] });
  }, id);
  await failed.getByRole('button', { name: 'Retry' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toContain('failed');
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  expect(seen.some((s) => s !== 'failed')).toBe(true);
});

test('drag-and-drop an image: it goes out as an MMS with a preview', async ({ app, page }) => {
  await page.goto(app.ready.url);
  await startConversation(page, MAYA);
  const data = await page.evaluateHandle(async () => {
    const canvas = Object.assign(document.createElement('canvas'), { width: 200, height: 120 });
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#2563eb';
    g.fillRect(0, 0, 200, 120);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    const dt = new DataTransfer();
    dt.items.add(new File([blob], 'photo.png', { type: 'image/png' }));
    return dt;
  });
  const zone = page.getByTestId('attachment-dropzone');
  await zone.dispatchEvent('dragenter', { dataTransfer: data });
  await expect(page.getByText('Drop files to attach them')).toBeVisible();
  await zone.dispatchEvent('drop', { dataTransfer: data });
  await expect(page.getByText('Drop files to attach them')).toHaveCount(0);
  const chip = page.getByTestId('attachment-chip');
  await expect(chip).toHaveAttribute('data-state', 'ready');
  await expect(chip).toContainText('photo.png');
  await expect(chip.locator('img')).toBeVisible();
  await page.getByTestId('send-button').click();
  await expect(chip).toHaveCount(0);
  const sent = page.getByTestId('message').filter({ has: page.getByTestId('message-media') }).last();
  await expect(sent.getByTestId('message-media').locator('img')).toHaveJSProperty('complete', true);
  expect(await sent.getByTestId('message-media').locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(sent).toHaveAttribute('data-status', 'delivered', { timeout: 20_000 });
  await expect(sent.getByTestId('message-status')).toHaveAttribute('title', /Handed to the carrier/);
});

test('an inbound MMS shows its picture inline', async ({ app, page }) => {
  await page.goto(app.ready.url);
  await startConversation(page, MAYA);
  // Maya answers in turn; her second answer comes with a photo.
  await send(page, 'Can you check your screen?');
  await expect(page.locator('[data-testid="message"][data-direction="in"]')).toHaveCount(1, { timeout: 30_000 });
  await send(page, 'What do you see?');
  const photo = page.locator('[data-testid="message"][data-direction="in"]').getByTestId('message-media').locator('img');
  await expect(photo).toBeVisible({ timeout: 30_000 });
  expect(await photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
});

test('a group conversation shows each recipient\'s status', async ({ app, page }) => {
  await page.goto(app.ready.url);
  await startConversation(page, PRIYA, SAM);
  const sent = await send(page, 'Both appointments moved to Friday.');
  await expect(sent).toHaveAttribute('data-status', 'delivered', { timeout: 20_000 });
  await sent.locator('details.deliveries summary').click();
  await expect(sent.locator('[data-testid="delivery"][data-status="delivered"]')).toHaveCount(2);
  await expect(sent.getByTestId('message-status')).toHaveAttribute('title', /Handed to the carrier/);
});

test("a customer's STOP blocks the next send", async ({ app, page }) => {
  await page.goto(app.ready.url);
  await startConversation(page, RILEY);
  // Riley answers HELP, then STOP.
  await send(page, 'Hi Riley, a quick survey?');
  await expect(page.locator('[data-testid="message"][data-direction="in"]')).toHaveCount(1, { timeout: 30_000 });
  await send(page, 'Just one question.');
  await expect(page.locator('[data-testid="message"][data-direction="in"]').filter({ hasText: 'STOP' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('opted-out-block')).toContainText('opted out', { timeout: 10_000 });
  await expect(page.getByTestId('system-line')).toHaveText('Riley Brooks opted out. Sending is blocked until they text START.');
  await expect(page.getByTestId('composer-input')).toHaveCount(0);

  // The opt-out is kept by the engine, not the page: it is still there after a restart.
  const ready = await app.restart();
  await page.goto(ready.url);
  await page.getByTestId('view-opted-out').click();
  await page.getByTestId('thread-item').first().click();
  await expect(page.getByTestId('opted-out-block')).toContainText('opted out');
});

test('search finds an old message and jumps to it', async ({ app, page }) => {
  await page.goto(app.ready.url);
  await startConversation(page, MAYA);
  await send(page, 'The serial number is XQ-7731, keep it handy.');
  for (let i = 0; i < 3; i++) await send(page, `Follow-up ${i}`);
  // The history is on disk: a restarted host finds it.
  const ready = await app.restart();
  await page.goto(ready.url);
  await page.keyboard.press('Control+k');
  await page.getByTestId('search-input').fill('XQ');
  const result = page.getByTestId('search-result').filter({ hasText: 'serial number' });
  await expect(result.locator('mark')).toContainText('XQ');
  await result.click();
  const target = page.getByTestId('message').filter({ hasText: 'XQ-7731' });
  await expect(target).toBeInViewport();
  await expect(target).toHaveClass(/highlighted/);
});

test('send later with a tag: scheduled, kept across a restart, and cancellable', async ({ app, page }) => {
  await page.goto(app.ready.url);
  await startConversation(page, MAYA);
  await page.getByTestId('composer-input').fill('Reminder: your visit is tomorrow.');
  await page.getByRole('button', { name: 'Send later' }).click();
  await page.getByTestId('send-at').fill('2099-01-02T09:30');
  await page.getByTestId('send-tag').fill('visit-reminder');
  // With something to send, Schedule queues it at once.
  await page.getByTestId('send-at-confirm').click();
  const scheduled = page.getByTestId('message').filter({ hasText: 'Reminder: your visit' });
  await expect(scheduled).toHaveAttribute('data-status', 'scheduled');
  await expect(scheduled.getByTestId('message-status')).toHaveAttribute('title', /Scheduled for/);
  await expect(scheduled.locator('.tag')).toHaveText('visit-reminder');

  const ready = await app.restart();
  await page.goto(ready.url);
  await page.getByTestId('thread-item').first().click();
  await expect(scheduled).toHaveAttribute('data-status', 'scheduled');
  await scheduled.getByRole('button', { name: 'Cancel sending' }).click();
  await expect(scheduled).toHaveCount(0);
});
