import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { customerTexts, OURS, openApp, screenshotDir, threadItem } from './helpers';

/**
 * The settings page at every window width from 1280 down to 420 px: nothing sticks out of its column (the section
 * list or the section), nothing overlaps, nothing scrolls sideways. And the contact panel's focus: in when its
 * header button opens it, back where it was when its × closes it.
 */
const SECTIONS = ['Account', 'Numbers', 'Callbacks and tunnel', 'Messaging', 'Quick replies', 'Contacts', 'Appearance'];
const WIDTHS = [1280, 800, 420];
const dir = join(screenshotDir, 'settings-layout');
// Unbroken runs of text, as agents paste them: a tracking link, a long title.
const LONG_WORD = 'https://tracking.example.com/orders/4471/shipments/0000000000000000000000000000000000000000';

/** What sticks out of the settings page's two columns, overlaps, or scrolls sideways: empty when the layout holds. */
function overflows(page: Page) {
  return page.evaluate(() => {
    const bad: string[] = [];
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    const nav = document.querySelector<HTMLElement>('.settings-nav')!;
    const body = document.querySelector<HTMLElement>('.settings-body')!;
    const [n, b] = [nav.getBoundingClientRect(), body.getBoundingClientRect()];
    if (n.left < b.right && b.left < n.right && n.top < b.bottom && b.top < n.bottom) bad.push('the section list overlaps the section');
    if (document.documentElement.scrollWidth > window.innerWidth) bad.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${window.innerWidth})`);
    for (const column of [nav, body]) {
      if (column.scrollWidth > column.clientWidth) bad.push(`${name(column)} scrolls sideways (${column.scrollWidth} > ${column.clientWidth})`);
      // The column's inside, its vertical scrollbar excluded.
      const r = column.getBoundingClientRect();
      const [left, right] = [r.left + column.clientLeft, r.left + column.clientLeft + column.clientWidth];
      const outside = (box: DOMRect) => box.width > 0 && (box.left < left - 0.5 || box.right > right + 0.5);
      for (const el of column.querySelectorAll('*')) if (outside(el.getBoundingClientRect())) bad.push(`${name(el)} sticks out of ${name(column)}`);
      // Text too: a label that does not wrap runs past its button's edge while the button itself stays inside.
      const walker = document.createTreeWalker(column, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(t);
        if ([...range.getClientRects()].some(outside)) bad.push(`text "${(t.textContent ?? '').trim().slice(0, 30)}" runs out of ${name(column)}`);
        const parent = t.parentElement!;
        if (parent.scrollWidth > parent.clientWidth + 1 && parent.clientWidth > 0 && !parent.matches('input, textarea, select, option'))
          bad.push(`text "${(t.textContent ?? '').trim().slice(0, 30)}" overflows ${name(parent)}`);
      }
    }
    return bad;
  });
}

test('every settings section fits its column at 1280, 800 and 420 px, in light and dark', async ({ app, page, rpc }) => {
  test.setTimeout(180_000);
  mkdirSync(dir, { recursive: true });
  // Content that pushes on the columns: a long contact note, a quick reply with a long title and an unbroken word.
  await rpc.client.call('contacts.upsert', { number: '+19195550177', name: 'Bartholomew Featherstonehaugh-Cholmondeley', notes: `Tracking: ${LONG_WORD}` });
  const { quickReplies } = await rpc.client.call('settings.get', {});
  await rpc.client.call('settings.update', {
    quickReplies: [...quickReplies, { id: 'long', title: 'Shipment delayed by the carrier: apologise and send the tracking link', body: `Sorry for the wait, {first_name}. ${LONG_WORD}` }],
  });
  await openApp(page, app.ready.url);
  await page.getByTestId('open-settings').click();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 700 });
    for (const section of SECTIONS) {
      await page.getByRole('button', { name: section, exact: true }).click();
      await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
      if (section === 'Account') {
        // The Live form, its advanced fields open: the widest inputs and the longest select.
        await page.getByText('Live', { exact: true }).click();
        await page.getByText('Base URLs and limits').click();
        await page.getByLabel('Messaging API').fill(LONG_WORD);
      }
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
        expect(await overflows(page), `${section} at ${width} px, ${colorScheme}`).toEqual([]);
        await page.screenshot({ path: join(dir, `${width}-${section.toLowerCase().replace(/ /g, '-')}-${colorScheme}.png`) });
      }
    }
  }
});

test('the contact panel: its header button moves focus into it, its × gives focus back', async ({ app, page, rpc }) => {
  const other = await customerTexts(rpc, '+19195557655', OURS.tollFree, 'Do you ship to Canada?');
  const inbound = await customerTexts(rpc, '+19195557654', OURS.tollFree, 'Is the order on its way?');
  await openApp(page, app.ready.url, inbound.threadId);
  const toggle = page.getByTestId('contact-panel-toggle');
  const composer = page.getByTestId('composer-input');
  const panel = page.getByTestId('contact-panel');
  const close = panel.getByRole('button', { name: 'Close contact details' });
  const name = panel.getByTestId('contact-form').getByLabel('Name');

  // Opened with the header button: the first field takes the focus; closed with ×: the button that opened it has it again.
  await toggle.click();
  await expect(name).toBeFocused();
  await close.click();
  await expect(panel).toHaveCount(0);
  await expect(toggle).toBeFocused();

  // The same by keyboard alone: Enter on the header button, Shift+Tab to × and Enter.
  await page.keyboard.press('Enter');
  await expect(name).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(close).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(panel).toHaveCount(0);
  await expect(toggle).toBeFocused();

  // Opened from the composer (Ctrl+I) and closed with × after moving to another thread: back to the composer.
  await composer.focus();
  await page.keyboard.press('Control+i');
  await expect(name).toBeFocused();
  await threadItem(page, other.threadId).click();
  await expect(page.locator('.conversation-header h2')).toHaveText('(919) 555-7655');
  await close.click();
  await expect(panel).toHaveCount(0);
  await expect(composer).toBeFocused();
});
