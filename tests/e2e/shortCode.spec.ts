import { join } from 'node:path';
import { expect, test } from './fixtures';
import { customerTexts, OURS, openApp, screenshotDir, threadItem } from './helpers';

/**
 * Carriers and services text business numbers from sender names ("BANKALERT") and short codes ("22395"): their texts
 * arrive (through the simulator's callbacks, as from Bandwidth), show as written, and the conversation says plainly
 * that they cannot be replied to instead of offering a composer whose send would be refused.
 */
test('a text from a sender name or a short code is shown as written, and its conversation says it cannot be replied to', async ({ app, page, rpc }) => {
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  // The toll-free number hears only from the senders a spec makes up (the personas text the local numbers).
  const bank = await customerTexts(rpc, 'BANKALERT', OURS.tollFree, 'Your card ending 4471 was charged $42.10 at ACME STORES.');
  const code = await customerTexts(rpc, '22395', OURS.tollFree, 'Your verification code is 482913');
  expect(bank.threadId).not.toBe(code.threadId);

  await openApp(page, app.ready.url);
  await expect(threadItem(page, code.threadId)).toContainText('22395');
  await threadItem(page, bank.threadId).click();
  await expect(page.locator('.conversation-header h2')).toHaveText('BANKALERT');
  await expect(page.getByTestId('message').filter({ hasText: 'charged $42.10' })).toBeVisible();
  const note = page.getByTestId('no-reply-block');
  await expect(note).toContainText('BANKALERT cannot be replied to.');
  await expect(page.getByTestId('composer-input')).toHaveCount(0);

  // The contact panel makes no claim that it can be texted, and offers no contact card a phone number would get.
  await page.getByRole('button', { name: 'Contact details', exact: true }).click();
  const panel = page.getByTestId('contact-panel');
  await expect(panel.getByTestId('opt-out-state')).toContainText('BANKALERT cannot be replied to');
  await expect(panel.getByTestId('contact-form')).toHaveCount(0);
  await expect(panel.getByTestId('sender-id')).toContainText('BANKALERT is a short code or sender name');

  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(screenshotDir, 'sender-name-light.png') });
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await page.screenshot({ path: join(screenshotDir, 'sender-name-dark.png') });

  // The short code's thread too, opened from search by its number.
  await page.keyboard.press('Control+k');
  await page.getByTestId('search-input').fill('22395');
  await page.getByTestId('search-result').filter({ hasText: 'verification code' }).click();
  await expect(page.locator('.conversation-header h2')).toHaveText('22395');
  await expect(note).toContainText('22395 cannot be replied to.');
});
