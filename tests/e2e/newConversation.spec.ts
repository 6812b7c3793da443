import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { contact, customerTexts, openApp, OURS, screenshotDir, send, threadItem } from './helpers';

/**
 * Starting a conversation, against the real core in browser mode: the recipient field takes each number once and
 * names the saved contacts, and a conversation started but never written in does not stay behind in the list.
 * The toll-free number hears only from the customers a spec makes up, so its list holds exactly those.
 */

const selected = (page: Page) => page.locator('[data-testid="thread-item"][aria-selected="true"]');

async function startFromTollFree(page: Page, to: string) {
  await page.keyboard.press('Alt+n');
  await page.getByTestId('recipient-input').fill(to);
  await page.getByTestId('sender-select').selectOption(OURS.tollFree);
  await page.getByTestId('start-conversation').click();
  await expect(page.getByTestId('composer-input')).toBeFocused();
  return (await selected(page).getAttribute('data-thread-id'))!;
}

test('a number already in the field is not added again, however it is written; a saved contact shows by name', async ({ app, page, rpc }) => {
  await contact(rpc, '+16465552401', 'Dana Ruiz');
  await openApp(page, app.ready.url);
  await page.keyboard.press('Alt+n');
  const input = page.getByTestId('recipient-input');
  const chips = page.getByTestId('recipient-chip');
  const feedback = page.getByTestId('recipient-feedback');

  await input.pressSequentially('6465552401,');
  await expect(chips).toHaveText(['Dana Ruiz']);
  await expect(chips.first()).toHaveAttribute('title', '(646) 555-2401');
  await input.pressSequentially('9195550142,');
  await expect(chips).toHaveText(['Dana Ruiz', '(919) 555-0142']);
  await expect(chips.nth(1)).not.toHaveAttribute('title');

  // Typed again in another writing: no second chip; the first is pointed at, and the field says why.
  await input.pressSequentially('+1 (646) 555-2401,');
  await expect(chips).toHaveText(['Dana Ruiz', '(919) 555-0142']);
  await expect(chips.first()).toHaveClass(/\brepeated\b/);
  await expect(feedback).toHaveText('Dana Ruiz is already in the list.');
  await expect(input).toHaveValue('');
  await page.screenshot({ path: join(screenshotDir, 'newConversation-repeated.png') });

  // Still being typed, it is pointed at before the comma; pasted twice at once, it is taken once.
  await input.pressSequentially('919-555-0142');
  await expect(feedback).toHaveText('(919) 555-0142 is already in the list.');
  await expect(chips.nth(1)).toHaveClass(/\brepeated\b/);
  await input.fill('(919) 555-0177, 919.555.0177, ');
  await expect(chips).toHaveText(['Dana Ruiz', '(919) 555-0142', '(919) 555-0177']);
  await expect(page.locator('.recipient-chip.repeated')).toHaveText('(919) 555-0177');

  await input.pressSequentially('x');
  await expect(page.locator('.recipient-chip.repeated')).toHaveCount(0);
  await input.fill('');
  await page.getByTestId('start-conversation').click();
  await expect(page.getByRole('heading', { name: 'Dana Ruiz, (919) 555-0142, (919) 555-0177' })).toBeVisible();
});

test('a conversation started and left without a message leaves the list, and comes back with its first message', async ({ app, page, rpc }) => {
  const other = await customerTexts(rpc, '+16465552410', OURS.tollFree, 'Is my order on its way?');
  await openApp(page, app.ready.url);
  await page.getByRole('button', { name: 'Only (888) 555-0102' }).click();
  await expect(page.getByTestId('thread-item')).toHaveCount(1);

  // Listed while open, as the conversation it is.
  const started = await startFromTollFree(page, '(646) 555-2411');
  await expect(threadItem(page, started)).toContainText('No messages yet');
  await expect(page.getByTestId('thread-item')).toHaveCount(2);
  await page.screenshot({ path: join(screenshotDir, 'newConversation-open.png') });

  // Left without a message: gone, in this list and after a reload, in every view.
  await threadItem(page, other.threadId).click();
  await expect(threadItem(page, started)).toHaveCount(0);
  await page.screenshot({ path: join(screenshotDir, 'newConversation-left.png') });
  await page.reload();
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await expect(threadItem(page, other.threadId)).toBeVisible();
  for (const view of ['all', 'unread', 'failed', 'scheduled', 'opted-out']) {
    await page.getByTestId(`view-${view}`).click();
    await expect(threadItem(page, started)).toHaveCount(0);
  }
  await page.getByTestId('view-all').click();
  await page.getByRole('button', { name: 'Only (888) 555-0102' }).click();
  await expect(page.getByTestId('thread-item')).toHaveCount(1);

  // Started again, it is the same conversation; written in, it stays.
  expect(await startFromTollFree(page, '646-555-2411')).toBe(started);
  await send(page, 'Hi, this is Switchboard support.');
  await threadItem(page, other.threadId).click();
  await expect(threadItem(page, started)).toContainText('Hi, this is Switchboard support.');

  // A conversation left empty comes back when the customer writes first.
  const quiet = await startFromTollFree(page, '(646) 555-2412');
  await threadItem(page, other.threadId).click();
  await expect(threadItem(page, quiet)).toHaveCount(0);
  await customerTexts(rpc, '+16465552412', OURS.tollFree, 'Did you just try to reach me?');
  await expect(threadItem(page, quiet)).toContainText('Did you just try to reach me?');
  await expect(page.getByTestId('thread-item')).toHaveCount(3);
});
