import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { customerTexts, openApp, OURS, screenshotDir, threadItem } from './helpers';

/**
 * Walking the thread list and landing where the next keystroke belongs, against the real core in browser mode:
 * only the thread the agent stops on is read, a read thread stays put in the Unread view until the agent moves on,
 * the dialogs that open a thread leave the caret in its composer, and an empty filtered list says what it is.
 * The toll-free number hears only from the customers a spec makes up, so its list holds exactly those.
 */

const unreadOf = (page: Page, threadId: string) => threadItem(page, threadId).getByTestId('unread-count');
const selected = (page: Page) => page.locator('[data-testid="thread-item"][aria-selected="true"]');

test('the arrow keys pass threads without reading them; the one the agent stops on is read', async ({ app, page, rpc }) => {
  // Oldest first: the list shows them newest first, so ↓ walks from the last texted to the first.
  const threads = [];
  for (let i = 0; i < 5; i++) {
    for (let n = 0; n <= i % 2; n++) threads.unshift(await customerTexts(rpc, `+1646555${2100 + i}`, OURS.tollFree, `Question ${i}.${n} about my order`));
  }
  const ids = [...new Set(threads.map((m) => m.threadId))];
  // The page's clock stands still while the keys move, so "the agent did not stop" holds however slow the machine is.
  await page.clock.install();
  await openApp(page, app.ready.url);
  await page.getByRole('button', { name: 'Only (888) 555-0102' }).click();
  await expect(page.getByTestId('thread-item')).toHaveCount(5);
  const before = await Promise.all(ids.map((id) => unreadOf(page, id).textContent()));
  expect(before).toEqual(['1', '2', '1', '2', '1']);

  await page.clock.pauseAt(Date.now() + 60_000);
  await page.getByTestId('thread-list').focus();
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('ArrowDown');
    await expect(selected(page)).toHaveAttribute('data-thread-id', ids[i]!);
  }
  for (const [i, id] of ids.entries()) await expect(unreadOf(page, id)).toHaveText(before[i]!);
  await page.screenshot({ path: join(screenshotDir, 'listFocus-arrows-passed.png') });

  // Staying on the fourth thread for a second reads it, and only it.
  await page.clock.runFor(1000);
  await expect(unreadOf(page, ids[3]!)).toHaveCount(0);
  for (const i of [0, 1, 2, 4]) await expect(unreadOf(page, ids[i]!)).toHaveText(before[i]!);
  await expect(page.getByTestId('view-unread').locator('.rail-badge')).toHaveText('5');

  // A click that stays reads its thread too.
  await threadItem(page, ids[0]!).click();
  await page.clock.runFor(1000);
  await expect(unreadOf(page, ids[0]!)).toHaveCount(0);
  await page.screenshot({ path: join(screenshotDir, 'listFocus-arrows-stopped.png') });
});

test('in the Unread view a thread read stays listed and selected until the agent moves to another', async ({ app, page, rpc }) => {
  const first = await customerTexts(rpc, '+16465552201', OURS.tollFree, 'Is my order shipped?');
  const second = await customerTexts(rpc, '+16465552202', OURS.tollFree, 'Can I change the address?');
  await openApp(page, app.ready.url);
  await page.getByTestId('view-unread').click();
  await page.getByTestId('our-number-filter').selectOption(OURS.tollFree);
  await expect(page.getByTestId('thread-item')).toHaveCount(2);
  await threadItem(page, second.threadId).click();
  await expect(unreadOf(page, second.threadId)).toHaveCount(0);
  await expect(threadItem(page, second.threadId)).toHaveAttribute('aria-selected', 'true');
  await page.screenshot({ path: join(screenshotDir, 'listFocus-unread-read.png') });
  // Moving on drops it: it no longer belongs in the view.
  await page.keyboard.press('Alt+ArrowDown');
  await expect(threadItem(page, first.threadId)).toHaveAttribute('aria-selected', 'true');
  await expect(threadItem(page, second.threadId)).toHaveCount(0);
});

test('starting a conversation and opening a search hit leave the caret in the composer; Ctrl+I moves into the contact panel and back', async ({ app, page, rpc }) => {
  await customerTexts(rpc, '+16465552301', OURS.tollFree, 'My parcel arrived damaged');
  await openApp(page, app.ready.url);
  const composer = page.getByTestId('composer-input');

  // Alt+N: a browser keeps Ctrl+N for itself.
  await page.keyboard.press('Alt+n');
  await page.getByTestId('recipient-input').fill('(646) 555-2302');
  await page.keyboard.press('Enter');
  await expect(composer).toBeFocused();
  await expect(composer).toHaveAttribute('aria-label', 'Message to (646) 555-2302');
  await page.screenshot({ path: join(screenshotDir, 'listFocus-new-conversation.png') });

  // Enter on a search hit, then a click on one; each time from nowhere in particular, as after a click on the page
  // (from the composer, closing the dialog would simply give the focus back).
  for (const how of ['Enter', 'click'] as const) {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').fill('parcel');
    const hit = page.getByTestId('search-result');
    await expect(hit).toHaveCount(1);
    if (how === 'Enter') await page.keyboard.press('Enter');
    else await hit.click();
    await expect(page.getByTestId('search-input')).toHaveCount(0);
    await expect(composer).toBeFocused();
    await expect(composer).toHaveAttribute('aria-label', 'Message to (646) 555-2301');
  }
  await page.screenshot({ path: join(screenshotDir, 'listFocus-search-opened.png') });

  await page.keyboard.press('Control+i');
  const panel = page.getByTestId('contact-panel');
  await expect(panel.getByRole('textbox', { name: 'Name' })).toBeFocused();
  await page.screenshot({ path: join(screenshotDir, 'listFocus-contact-panel.png') });
  await page.keyboard.press('Control+i');
  await expect(panel).toHaveCount(0);
  await expect(composer).toBeFocused();
});

test('a number filter that hides every thread says so, in every view, instead of the first-start greeting', async ({ app, page }) => {
  await openApp(page, app.ready.url);
  await page.getByRole('button', { name: 'Only (888) 555-0102' }).click();
  const empty = page.locator('.list-empty');
  await expect(empty).toHaveText('No conversations on (888) 555-0102.');
  await page.screenshot({ path: join(screenshotDir, 'listFocus-empty-number.png') });
  for (const [view, text] of [
    ['unread', 'Nothing unread on (888) 555-0102. Nice.'],
    ['failed', 'No failed deliveries on (888) 555-0102.'],
    ['scheduled', 'Nothing scheduled on (888) 555-0102.'],
  ] as const) {
    await page.getByTestId(`view-${view}`).click();
    await page.getByTestId('our-number-filter').selectOption(OURS.tollFree);
    await expect(empty).toHaveText(text);
  }
});
