import { join } from 'node:path';
import { expect, test } from './fixtures';
import { customerTexts, OURS, sendSettled, threadItem, screenshotDir } from './helpers';

/** The conversation's right panel on the real app: names and notes saved through contacts.upsert, opt-out state, the thread's media. */
const CUSTOMER = '+19195557321';
const dir = screenshotDir;

test('the contact panel: rename, notes that survive a reload, the gallery, and narrow windows', async ({ app, page, rpc }) => {
  test.setTimeout(120_000);
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  // The toll-free number hears only from customers a spec makes up (the personas text the local numbers).
  const downloaded = rpc.next('message.updated', ({ message }) => message.from === CUSTOMER && message.attachments.length === 2 && message.attachments.every((a) => a.state === 'ready'), 30_000);
  const inbound = await customerTexts(rpc, CUSTOMER, OURS.tollFree, 'Two photos of the damaged box', 2);
  await downloaded;
  await sendSettled(rpc, { from: OURS.tollFree, to: [CUSTOMER], text: 'Thanks, a replacement ships today.' });

  await page.goto(app.ready.url);
  await threadItem(page, inbound.threadId).click();
  const toggle = page.getByRole('button', { name: 'Contact details', exact: true });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  const panel = page.getByTestId('contact-panel');
  await expect(panel).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(panel.getByTestId('opt-out-state')).toContainText('Can receive texts from (888) 555-0102');

  // The gallery: both received pictures, newest first; a file sent from the composer joins it as a card.
  const thumbs = panel.getByTestId('media-gallery').getByRole('button', { name: /^Open image / });
  await expect(thumbs).toHaveCount(2);
  await page.getByTestId('attachment-input').setInputFiles({ name: 'return-label.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await expect(page.getByTestId('attachment-chip')).toHaveAttribute('data-state', 'ready');
  await page.getByTestId('send-button').click();
  await expect(panel.locator('.gallery-card')).toContainText('return-label.pdf');

  // A name is required: the core's validation error is shown, and nothing is saved.
  const form = panel.getByTestId('contact-form');
  await form.getByLabel('Name').fill('   ');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText(/name/i);

  await form.getByLabel('Name').fill('Dana Scully');
  await form.getByLabel('Notes').fill('Prefers texts after 5 pm. Order #4471.');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  await expect(form.getByRole('alert')).toHaveCount(0);
  // thread.updated carries the new name to the thread list and the header.
  await expect(threadItem(page, inbound.threadId)).toContainText('Dana Scully');
  await expect(page.locator('.conversation-header h2')).toHaveText('Dana Scully');

  await page.reload();
  await threadItem(page, inbound.threadId).click();
  await expect(panel).toBeVisible();
  await expect(form.getByLabel('Notes')).toHaveValue('Prefers texts after 5 pm. Order #4471.');
  await expect(form.getByLabel('Name')).toHaveValue('Dana Scully');
  await expect(thumbs).toHaveCount(2);
  for (const img of await thumbs.locator('img').all()) await expect(img).toHaveJSProperty('complete', true);

  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(dir, 'contact-panel-light.png') });
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await page.screenshot({ path: join(dir, 'contact-panel-dark.png') });

  const firstImage = await thumbs.first().getAttribute('aria-label');
  await thumbs.first().click();
  const viewer = page.getByRole('dialog', { name: firstImage!.replace('Open image ', '') });
  await expect(viewer.locator('img')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(viewer).toHaveCount(0);

  // Narrower than 1100 px the panel is an overlay over the conversation; Ctrl+I closes and opens it.
  await page.setViewportSize({ width: 900, height: 700 });
  await expect(panel).toHaveCSS('position', 'fixed');
  await page.keyboard.press('Control+i');
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('composer-input')).toBeVisible();
  await page.keyboard.press('Control+i');
  await expect(panel).toBeVisible();
  await panel.getByRole('button', { name: 'Close contact details' }).click();
  await expect(panel).toHaveCount(0);
  await page.reload();
  await threadItem(page, inbound.threadId).click();
  await expect(page.getByTestId('composer-input')).toBeVisible();
  await expect(panel).toHaveCount(0);
});
