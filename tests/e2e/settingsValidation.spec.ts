import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { killAll } from '../support/processes';
import { expect, test } from './fixtures';
import { customerTexts, OURS, screenshotDir } from './helpers';

/**
 * Settings that refuse bad values with a plain, inline message and save nothing, and search answers for what the
 * index cannot hold (an emoji) or what agents type of a number (its last digits). Browser mode, real core.
 */
test.afterAll(killAll);

async function openSettings(page: Page, url: string, section: string) {
  await page.goto(url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await page.getByTestId('open-settings').click();
  await page.getByRole('button', { name: section, exact: true }).click();
}

test('the no-receipt delay refuses empty, zero, negative and huge values inline, and saves a right one', async ({ app, page, rpc }) => {
  const before = await rpc.client.call('settings.get', {});
  await openSettings(page, app.ready.url, 'Messaging');
  const minutes = page.getByTestId('no-receipt-minutes');
  const error = page.locator('#no-receipt-error');
  for (const value of ['', '0', '-5', '99999999']) {
    await minutes.fill(value);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(error).toHaveText('Enter a whole number of minutes from 1 to 10,080 (7 days).');
    await expect(minutes).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('settings-feedback')).toHaveCount(0);
  }
  await page.screenshot({ path: join(screenshotDir, 'settings-no-receipt-invalid.png') });
  expect((await rpc.client.call('settings.get', {})).noReceiptAfterMs).toBe(before.noReceiptAfterMs);

  // The error follows the typing once shown, and a right value saves.
  await minutes.fill('45');
  await expect(error).toHaveCount(0);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('settings-feedback')).toHaveText('Saved.');
  expect((await rpc.client.call('settings.get', {})).noReceiptAfterMs).toBe(45 * 60_000);
});

test('a contact with a number we cannot text is refused in plain words', async ({ app, page, rpc }) => {
  await openSettings(page, app.ready.url, 'Contacts');
  const known = (await rpc.client.call('contacts.list', {})).contacts;
  await page.getByLabel('Number', { exact: true }).fill('12345');
  await page.getByLabel('Name', { exact: true }).fill('Nobody');
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByTestId('settings-feedback')).toHaveText('12345 is not a phone number we can text. Enter a US or Canadian number, or +country code and number.');
  await page.screenshot({ path: join(screenshotDir, 'settings-contact-invalid.png') });
  expect((await rpc.client.call('contacts.list', {})).contacts).toEqual(known);
});

test.describe('search', () => {
  const ANN = '+19845550151';
  const BOB = '+19195550177';

  async function searchFor(page: Page, url: string, query: string) {
    await page.goto(url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').fill(query);
  }

  test('an emoji finds only the messages holding it, marked', async ({ app, page, rpc }) => {
    await customerTexts(rpc, ANN, OURS.local, 'thanks so much 😀');
    await customerTexts(rpc, BOB, OURS.local, 'no emoji here');
    await customerTexts(rpc, BOB, OURS.local, 'got it 👍');
    await searchFor(page, app.ready.url, '😀');
    await expect(page.getByTestId('search-result')).toHaveCount(1);
    await expect(page.getByTestId('search-result').locator('mark')).toHaveText('😀');
    await page.screenshot({ path: join(screenshotDir, 'search-emoji-fixed.png') });
  });

  test('the last digits of a number, as agents type them, find that number’s messages', async ({ app, page, rpc }) => {
    await customerTexts(rpc, ANN, OURS.local, 'hello from Ann');
    await customerTexts(rpc, BOB, OURS.local, 'hello from Bob');
    for (const query of ['555-0151', '0151', '(984) 555-0151']) {
      await searchFor(page, app.ready.url, query);
      await expect(page.getByTestId('search-result'), query).toHaveCount(1);
      await expect(page.getByTestId('search-result')).toContainText('hello from Ann');
    }
    await searchFor(page, app.ready.url, '555-0151');
    await expect(page.getByTestId('search-result')).toHaveCount(1);
    await page.screenshot({ path: join(screenshotDir, 'search-partial-number.png') });
  });
});
