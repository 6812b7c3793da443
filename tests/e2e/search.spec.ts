import type { Page } from '@playwright/test';
import { join } from 'node:path';
import type { RpcConnection } from '../support/processes';
import { killAll } from '../support/processes';
import { expect, test } from './fixtures';
import { contact, customerTexts, OURS, screenshotDir } from './helpers';

/**
 * The search dialog against the real core in browser mode: every page of results, search as you type, and
 * searching by a customer's number or name. Data is made the real way (simulated customers texting us).
 */
const ADA = '+19195551234';
const LINUS = '+19195553333';
/** More than two pages of the 50 the dialog asks for at a time. */
const REFUNDS = 121;

test.afterAll(killAll);

async function openSearch(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('search-input')).toBeFocused();
}

const footer = (page: Page) => page.locator('.search-footer');
const results = (page: Page) => page.getByTestId('search-result');

async function refunds(rpc: RpcConnection) {
  await contact(rpc, ADA, 'Ada Lovelace');
  await Promise.all(Array.from({ length: REFUNDS }, (_, i) => customerTexts(rpc, ADA, OURS.tollFree, `Follow-up ${i}: still waiting on the refund`)));
}

test('scrolling to the end loads the next page, and the count says more are there until all are', async ({ app, page, rpc }) => {
  await refunds(rpc);
  await openSearch(page, app.ready.url);
  await page.getByTestId('search-input').fill('refund');
  await expect(results(page)).toHaveCount(50);
  await expect(footer(page)).toContainText('50+ results · scroll for more');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: join(screenshotDir, 'search-pages-light.png') });
  const list = page.getByRole('listbox', { name: 'Results' });
  for (const loaded of [100, REFUNDS]) {
    await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(results(page)).toHaveCount(loaded);
  }
  await expect(footer(page)).toContainText(`${REFUNDS} results`);
  await expect(footer(page)).not.toContainText('+');
  // Every message once, newest first.
  const texts = await results(page).locator('.snippet').allTextContents();
  expect(new Set(texts).size).toBe(REFUNDS);
  expect(texts[0]).toContain(`Follow-up ${REFUNDS - 1}:`);
  expect(texts.at(-1)).toContain('Follow-up 0:');
});

test('the arrow keys walk on past the first page, and Enter opens a result from a later one', async ({ app, page, rpc }) => {
  await refunds(rpc);
  await openSearch(page, app.ready.url);
  await page.getByTestId('search-input').fill('refund');
  await expect(results(page)).toHaveCount(50);
  for (let i = 0; i < 60; i++) await page.keyboard.press('ArrowDown');
  const target = results(page).nth(60);
  await expect(target).toHaveAttribute('aria-selected', 'true');
  await expect(target).toBeInViewport();
  await expect(target).toContainText(`Follow-up ${REFUNDS - 61}:`);
  const id = await target.getAttribute('data-message-id');
  await page.keyboard.press('Enter');
  await expect(page.locator(`[data-testid="message"][data-message-id="${id}"]`)).toBeInViewport();
});

test('a word being typed is matched as a prefix, phrases stay exact', async ({ app, page, rpc }) => {
  await customerTexts(rpc, ADA, OURS.tollFree, 'Any news on my refund?');
  await customerTexts(rpc, LINUS, OURS.tollFree, 'The refunded amount was wrong');
  await openSearch(page, app.ready.url);
  await page.getByTestId('search-input').pressSequentially('refu');
  await expect(results(page)).toHaveCount(2);
  await expect(results(page).locator('mark')).toHaveText(['refunded', 'refund']);
  await expect(footer(page)).toContainText('2 results');
  await page.getByTestId('search-input').fill('"my refu"');
  await expect(footer(page)).toContainText('0 results');
  await page.getByTestId('search-input').fill('"my refund"');
  await expect(results(page)).toHaveCount(1);
});

test('a phone number, typed as the query or in the number filter in any writing, finds that customer; so does a name', async ({ app, page, rpc }) => {
  await contact(rpc, ADA, 'Ada Lovelace');
  await customerTexts(rpc, ADA, OURS.tollFree, 'Where is my refund?');
  await customerTexts(rpc, ADA, OURS.tollFree, 'Also, the box was open');
  await customerTexts(rpc, LINUS, OURS.tollFree, 'My refund came, thanks');
  await openSearch(page, app.ready.url);
  const input = page.getByTestId('search-input');

  await input.fill('(919) 555-1234');
  await expect(page.getByTestId('search-scope')).toHaveText('Messages with (919) 555-1234');
  await expect(results(page)).toHaveCount(2);
  await expect(results(page).first()).toContainText('Ada Lovelace');

  await input.fill('refund');
  await expect(results(page)).toHaveCount(2);
  await page.getByTestId('search-number').fill('919.555.3333');
  await expect(results(page)).toHaveCount(1);
  await expect(results(page)).toContainText('My refund came');
  // Half a number is said to be half a number, not silently ignored.
  await page.getByTestId('search-number').fill('919 555');
  await expect(page.getByTestId('search-number')).toHaveAttribute('aria-invalid', 'true');
  await expect(footer(page)).toContainText('Type a whole phone number');
  await expect(results(page)).toHaveCount(0);
  await page.getByTestId('search-number').fill('');

  // A name: the contact is offered, and choosing them shows their messages.
  await input.fill('lovelace');
  await expect(footer(page)).toContainText('0 results');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(screenshotDir, 'search-name-dark.png') });
  await page.getByTestId('search-scope').getByRole('button', { name: 'Ada Lovelace' }).click();
  await expect(page.getByTestId('search-number')).toHaveValue('(919) 555-1234');
  await expect(input).toHaveValue('');
  await expect(results(page)).toHaveCount(2);
  await page.screenshot({ path: join(screenshotDir, 'search-number-dark.png') });
});

test('reopened, the dialog shows the last search selected, so typing starts a new one', async ({ app, page, rpc }) => {
  await customerTexts(rpc, ADA, OURS.tollFree, 'Where is my refund?');
  await customerTexts(rpc, LINUS, OURS.tollFree, 'The tracking link is broken');
  await openSearch(page, app.ready.url);
  await page.getByTestId('search-input').fill('refund');
  await expect(results(page)).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('search-input')).toHaveCount(0);
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('search-input')).toHaveValue('refund');
  await page.keyboard.type('tracking');
  await expect(page.getByTestId('search-input')).toHaveValue('tracking');
  await expect(results(page).locator('.snippet')).toHaveText(['The tracking link is broken']);
});
