import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { audit, auditSettings, customerTexts, expectRing, focusRing, openApp, OURS, seedSupportDay, threadItem } from './helpers';

/**
 * a11y.spec.ts at the window sizes narrower than its 1280 × 800 (styles.css): 900 × 700, where the thread list shrinks
 * and the contact panel is an overlay, and 420 × 760, a phone-sized window showing one pane at a time with a way
 * back to the list. In light and dark, axe (WCAG 2.1 A/AA, every violation listed) on the thread list, a conversation
 * with an MMS picture and a scheduled message, one with a failed message, the contact panel, search with results,
 * the new conversation and every settings section; then the keyboard alone from the list into a conversation, round
 * the window and the contact panel, and back, every stop visible, inside the window, not under anything else, and
 * ringed (axe again on the list the keys left).
 */
const SIZES = [
  { layout: 'narrow', width: 900, height: 700 },
  { layout: 'phone', width: 420, height: 760 },
] as const;

const back = (page: Page) => page.getByRole('button', { name: 'Back to the conversations' });

/** Opens a thread from the list, going back to the list first where the conversation took its place (phone). */
async function openFromList(page: Page, threadId: string) {
  if (await back(page).isVisible()) await back(page).click();
  await threadItem(page, threadId).click();
}

/** What is wrong with where the focus is: null when the focused element is shown, inside the window and on top. */
function misplacedFocus(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement) || el === document.body) return 'on the page (body)';
    const r = el.getBoundingClientRect();
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) || r.width === 0 || r.height === 0) return 'hidden';
    if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) return `outside the window (${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)})`;
    // Its middle must show the element itself (or something inside it): not an overlay, nor the edge of a scrolled box.
    const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    if (!hit || !(el.contains(hit) || hit.contains(el))) return `under ${hit ? `${hit.tagName.toLowerCase()}.${[...hit.classList].join('.')}` : 'nothing'}`;
    return null;
  });
}

/** The focused element is on screen and shows its ring; `where` names the step for the failure message. */
async function expectFocusShown(page: Page, where: string) {
  const { el } = await focusRing(page);
  expect(await misplacedFocus(page), `${where}: focus on ${el}`).toBeNull();
  await expectRing(page);
}

/** Presses `key` until the element matching `target` (a selector) has the focus, at most `max` times, checking each stop. */
async function tabTo(page: Page, key: 'Tab' | 'Shift+Tab', target: string, max = 40) {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const { el } = await focusRing(page);
    stops.push(el);
    // The browser's own stop between the window's last control and its first (the page) is passed, as in a11y.spec.ts.
    if (el !== 'body') await expectFocusShown(page, `${key} #${i + 1} (${stops.join(' → ')})`);
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, target)) return stops;
  }
  throw new Error(`${key} never reached its target: ${stops.join(' → ')}`);
}

for (const size of SIZES) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`axe finds no WCAG 2.1 A/AA violation in the ${size.layout} layout, ${size.width} × ${size.height} (${scheme})`, async ({ app, page, rpc }) => {
      test.setTimeout(150_000);
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      const threads = await seedSupportDay(rpc);
      const state = (name: string) => `${size.layout}-${scheme}-${name}`;
      const found: string[] = [];
      await openApp(page, app.ready.url);
      await expect(threadItem(page, threads.ada)).toBeVisible();
      found.push(...(await audit(page, state('thread-list'))));

      await openFromList(page, threads.linus);
      await expect(page.locator('[data-testid="message"][data-status="failed"]')).toBeVisible();
      found.push(...(await audit(page, state('conversation-failed'))));
      await page.getByTestId('contact-panel-toggle').click();
      await expect(page.getByTestId('last-failure')).toBeVisible();
      found.push(...(await audit(page, state('contact-panel-failed'))));
      await page.getByRole('button', { name: 'Close contact details' }).click();

      await openFromList(page, threads.ada);
      await expect(page.locator('[data-testid="message"][data-status="scheduled"]')).toBeVisible();
      await expect(page.locator('[data-testid="message-media"] img')).toHaveJSProperty('complete', true);
      await page.mouse.move(0, 0);
      found.push(...(await audit(page, state('conversation-mms-scheduled'))));
      await page.getByTestId('contact-panel-toggle').click();
      await expect(page.getByTestId('contact-panel').locator('.gallery-image img')).toHaveJSProperty('complete', true);
      found.push(...(await audit(page, state('contact-panel-media'))));
      await page.getByRole('button', { name: 'Close contact details' }).click();

      await page.keyboard.press('Control+k');
      await page.getByTestId('search-input').fill('appointment');
      await expect(page.getByTestId('search-result').first()).toBeVisible();
      found.push(...(await audit(page, state('search'))));
      await page.keyboard.press('Escape');

      await page.keyboard.press('Alt+n');
      await page.getByTestId('recipient-input').pressSequentially('9845550151, 919555012');
      await expect(page.getByTestId('recipient-chip')).toHaveCount(1);
      found.push(...(await audit(page, state('new-conversation'))));
      await page.keyboard.press('Escape');

      found.push(...(await auditSettings(page, state)));

      expect(found, `axe violations:\n${found.join('\n')}`).toEqual([]);
    });
  }
}

for (const size of SIZES) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`keyboard only in the ${size.layout} layout: from the list into a conversation, round the window and the contact panel, and back, focus shown at each step (${scheme})`, async ({
      app,
      page,
      rpc,
    }) => {
      test.setTimeout(90_000);
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      const threads = await seedSupportDay(rpc);
      await openApp(page, app.ready.url);
      const list = page.getByTestId('thread-list');
      const composer = page.getByTestId('composer-input');
      await expect(threadItem(page, threads.ada)).toBeVisible();
      // The list holds Ada's thread (the newest) first, then Linus's.
      await expect(page.getByTestId('thread-item').nth(0)).toHaveAttribute('data-thread-id', threads.ada);

      // Into the list from the top of the window, past Linus's thread and back.
      await tabTo(page, 'Tab', '[data-testid=thread-list]');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      await expect(threadItem(page, threads.ada)).toHaveAttribute('aria-selected', 'true');
      await expect(list).toBeFocused();
      await expectFocusShown(page, 'the list after ↓ ↓ ↑');
      const found = await audit(page, `${size.layout}-${scheme}-keyboard-list-selected`);

      // Enter goes into the conversation: the caret waits in its composer.
      await page.keyboard.press('Enter');
      await expect(composer).toBeFocused();
      await expect(composer).toHaveAttribute('aria-label', 'Message to Ada Lovelace');
      await expectFocusShown(page, 'the composer after Enter');
      // Once round the window from there, every stop shown.
      await tabTo(page, 'Tab', '[data-testid=composer-input]', 80);

      // The contact panel lies over the conversation at these sizes: Tab goes round it, not onto the controls it covers,
      // both ways; Escape closes it and gives the focus back.
      await page.keyboard.press('Control+i');
      const name = page.getByTestId('contact-panel').getByRole('textbox', { name: 'Name' });
      await expect(name).toBeFocused();
      await expectFocusShown(page, 'the contact panel');
      for (const key of ['Tab', 'Shift+Tab'] as const) expect(await tabTo(page, key, '[data-testid=contact-panel] input')).toContain('button "Close contact details"');
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('contact-panel')).toHaveCount(0);

      // Back to the list: the back button where the conversation took its place, the list itself beside it otherwise.
      await expect(composer).toBeFocused();
      if (size.layout === 'phone') {
        await tabTo(page, 'Shift+Tab', '[aria-label="Back to the conversations"]');
        await page.keyboard.press('Enter');
      } else {
        await tabTo(page, 'Shift+Tab', '[data-testid=thread-list]');
      }
      await expect(list).toBeFocused();
      await expect(threadItem(page, threads.ada)).toHaveAttribute('aria-selected', 'true');
      await expectFocusShown(page, 'the list after going back');
      found.push(...(await audit(page, `${size.layout}-${scheme}-keyboard-list-back`)));
      expect(found, `axe violations:\n${found.join('\n')}`).toEqual([]);

      // And into the other conversation.
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await expect(composer).toBeFocused();
      await expect(composer).toHaveAttribute('aria-label', 'Message to Linus Pauling');
      await expectFocusShown(page, 'the composer of the second conversation');
    });
  }
}

test('in the phone layout, back to the list before a thread was read leaves it unread, and selected, and no longer the one viewed', async ({ app, page, rpc }) => {
  const { threadId } = await customerTexts(rpc, '+16465552401', OURS.tollFree, 'Did my refund go through?');
  await page.setViewportSize({ width: 420, height: 760 });
  // What the window tells the core it shows (the desktop shell notifies of every thread but that one).
  const viewed: (string | null)[] = [];
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      const request = JSON.parse(String(payload)) as { method?: string; input?: { threadId: string | null } };
      if (request.method === 'view.set') viewed.push(request.input!.threadId);
    }),
  );
  // The page's clock stands still until told, so "before it was read" holds however slow the machine is.
  await page.clock.install();
  await openApp(page, app.ready.url, threadId);
  await back(page).click();
  await expect(page.getByTestId('thread-list')).toBeFocused();
  await page.clock.runFor(2000);
  await expect(threadItem(page, threadId)).toHaveAttribute('aria-selected', 'true');
  await expect(threadItem(page, threadId).getByTestId('unread-count')).toHaveText('1');
  await expect.poll(() => viewed).toEqual([threadId, null]);
});

test('in the phone layout, a view picked in the rail shows its list in the conversation’s place', async ({ app, page, rpc }) => {
  const { threadId } = await customerTexts(rpc, '+16465552402', OURS.tollFree, 'Is the store open on Sunday?');
  await page.setViewportSize({ width: 420, height: 760 });
  await openApp(page, app.ready.url, threadId);
  await expect(page.getByTestId('thread-list')).toBeHidden();
  await page.getByTestId('view-unread').click();
  await expect(page.getByTestId('thread-list')).toBeVisible();
  await expect(back(page)).toBeHidden();
  await expect(threadItem(page, threadId)).toBeVisible();
});
