import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { RpcConnection } from '../support/processes';
import { expect, test } from './fixtures';
import { contact, customerTexts, openApp, OURS, sendSettled, threadItem } from './helpers';

/**
 * An accessibility audit of the window with axe-core (WCAG 2.0/2.1 A and AA rules), in light and dark, on the main
 * states with real data: a conversation with an MMS picture, a failed message and a scheduled one, the composer's
 * popovers, the image viewer, the shortcut guide, the new-conversation view (with a recipient chip), search with
 * results, every settings section, the contact panel and the Sandbox's "Simulate a customer text" dialog. Every
 * violation is listed (rule, where, why) before the spec fails; no rule is excluded. Then one flow by keyboard alone.
 * Screenshots go to A11Y_SHOTS when set, for a person to look at.
 */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const shots = process.env.A11Y_SHOTS;

const ADA = '+19195551234';
/** The Sandbox fails +1 919 555 CCCC with Bandwidth error CCCC: 4702 is "phone unavailable". */
const LINUS = '+19195554702';

async function seed(rpc: RpcConnection) {
  await contact(rpc, ADA, 'Ada Lovelace');
  await contact(rpc, LINUS, 'Linus Pauling');
  await rpc.client.call('settings.update', { quickReplies: [{ id: 'q1', title: 'Order shipped', body: 'Hi {first_name}, your order {} shipped today.' }] });
  await customerTexts(rpc, ADA, OURS.local, 'Hi! My order #4471 arrived, but the box was damaged.');
  const ada = await customerTexts(rpc, ADA, OURS.local, 'Here is a photo of the box:', 1);
  await sendSettled(rpc, { from: OURS.local, to: [ADA], text: 'So sorry about that, Ada. A replacement ships today.' });
  const tomorrow = new Date();
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  await sendSettled(rpc, { from: OURS.local, to: [ADA], text: 'Reminder: the courier comes tomorrow between 9 and 11.', sendAt: tomorrow.getTime() });
  const linus = await customerTexts(rpc, LINUS, OURS.tollFree, 'Is my appointment still on?');
  await sendSettled(rpc, { from: OURS.tollFree, to: [LINUS], text: 'Yes, see you at 3 pm!' });
  return { ada: ada.threadId, linus: linus.threadId };
}

/** Runs axe on the page as it is and returns one readable line per violating node. */
async function audit(page: Page, state: string): Promise<string[]> {
  if (shots) await page.screenshot({ path: join(shots, `${state}.png`) });
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  return violations.flatMap((v) =>
    v.nodes.map((n) => `[${state}] ${v.id} (${v.impact}): ${v.help}\n    at ${n.target.join(' ')}\n    ${n.failureSummary?.replaceAll('\n', '\n    ')}`),
  );
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds no WCAG 2.1 A/AA violation in the main states (${scheme})`, async ({ app, page, rpc }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const threads = await seed(rpc);
    const found: string[] = [];
    await openApp(page, app.ready.url);
    found.push(...(await audit(page, `${scheme}-start`)));

    await threadItem(page, threads.ada).click();
    await expect(page.locator('[data-testid="message"][data-status="scheduled"]')).toBeVisible();
    await expect(page.locator('[data-testid="message-media"] img')).toHaveJSProperty('complete', true);
    await page.mouse.move(0, 0);
    found.push(...(await audit(page, `${scheme}-conversation-mms-scheduled`)));

    for (const name of ['Quick replies', 'Send later and options']) {
      await page.getByRole('button', { name, exact: true }).click();
      await expect(page.getByRole('dialog', { name })).toBeVisible();
      found.push(...(await audit(page, `${scheme}-composer-${name.split(' ')[0]!.toLowerCase()}`)));
      await page.getByRole('button', { name, exact: true }).click();
    }

    await page.getByTestId('message-media').click();
    await expect(page.getByRole('dialog').locator('img')).toBeVisible();
    found.push(...(await audit(page, `${scheme}-image-viewer`)));
    await page.keyboard.press('Escape');

    await page.keyboard.press('Control+/');
    await expect(page.getByRole('dialog')).toBeVisible();
    found.push(...(await audit(page, `${scheme}-shortcut-guide`)));
    await page.keyboard.press('Escape');

    await threadItem(page, threads.linus).click();
    await expect(page.locator('[data-testid="message"][data-status="failed"]')).toBeVisible();
    found.push(...(await audit(page, `${scheme}-conversation-failed`)));

    await page.getByTestId('contact-panel-toggle').click();
    await expect(page.getByTestId('contact-panel')).toBeVisible();
    found.push(...(await audit(page, `${scheme}-contact-panel-failed`)));
    // The panel stays open from thread to thread: Ada's shows her picture in the media gallery.
    await threadItem(page, threads.ada).click();
    await expect(page.getByTestId('contact-panel').locator('.gallery-image img')).toHaveJSProperty('complete', true);
    found.push(...(await audit(page, `${scheme}-contact-panel-media`)));
    await page.getByRole('button', { name: 'Close contact details' }).click();
    await threadItem(page, threads.linus).click();

    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').fill('appointment');
    await expect(page.getByTestId('search-result').first()).toBeVisible();
    found.push(...(await audit(page, `${scheme}-search`)));
    await page.keyboard.press('Escape');

    await page.getByTestId('new-conversation').click();
    await page.getByTestId('recipient-input').pressSequentially('9845550151, 919555012');
    await expect(page.getByTestId('recipient-chip')).toHaveCount(1);
    found.push(...(await audit(page, `${scheme}-new-conversation`)));
    await page.keyboard.press('Escape');

    await page.getByTestId('simulate-inbound').click();
    await expect(page.getByTestId('simulate-from')).toBeFocused();
    found.push(...(await audit(page, `${scheme}-simulate`)));
    await page.keyboard.press('Escape');

    await page.getByTestId('open-settings').click();
    const sections = page.getByRole('navigation', { name: 'Settings sections' }).getByRole('button');
    for (const name of await sections.allTextContents()) {
      await sections.filter({ hasText: name }).click();
      await expect(page.getByTestId('settings').locator('section, form').first()).toBeVisible();
      found.push(...(await audit(page, `${scheme}-settings-${name.toLowerCase().replaceAll(' ', '-')}`)));
    }

    expect(found, `axe violations:\n${found.join('\n')}`).toEqual([]);
  });
}

/** The focused element, described for a failure message, and the focus ring it shows (null: none visible). */
function focusRing(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement) || el === document.body) return { el: 'body', ring: null };
    const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? '';
    const desc = `${el.tagName.toLowerCase()}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''} "${name}"`;
    const ringOf = (e: Element) => {
      const s = getComputedStyle(e);
      const visible = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1 && s.outlineColor !== 'rgba(0, 0, 0, 0)';
      return visible ? `${s.outlineWidth} ${s.outlineStyle} ${s.outlineColor}` : null;
    };
    if (!el.matches(':focus-visible')) return { el: desc, ring: null };
    // A field drawn inside a box (the recipient field, a segmented control's radio) rings its box: :focus-within.
    const ring = ringOf(el) ?? (el.parentElement && ringOf(el.parentElement)) ?? (el.parentElement?.parentElement && ringOf(el.parentElement.parentElement));
    return { el: desc, ring };
  });
}

async function expectRing(page: Page) {
  const { el, ring } = await focusRing(page);
  expect(ring, `focus ring on ${el}`).not.toBeNull();
}

for (const scheme of ['light', 'dark'] as const) {
  test(`keyboard only: a new conversation, a message, search, settings and back, focus visible at each step (${scheme})`, async ({ app, page, rpc }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await rpc.client.call('settings.update', { quickReplies: [{ id: 'q1', title: 'Thanks', body: 'Thanks for reaching out!' }] });
    await openApp(page, app.ready.url);
    const composer = page.getByTestId('composer-input');

    // A new conversation (Alt+N: a browser keeps Ctrl+N for itself): the caret waits in the To field.
    await page.keyboard.press('Alt+n');
    await expect(page.getByTestId('recipient-input')).toBeFocused();
    await expectRing(page);
    await page.keyboard.type('6465553401');
    await expect(page.getByTestId('recipient-feedback')).toContainText('(646) 555-3401');
    await page.keyboard.press('Enter');
    await expect(composer).toBeFocused();
    await expect(composer).toHaveAttribute('aria-label', 'Message to (646) 555-3401');
    await expectRing(page);

    // Enter sends, and the caret stays for the next message.
    await page.keyboard.type('Your parcel is on its way');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('message').filter({ hasText: 'Your parcel is on its way' })).toBeVisible();
    await expect(composer).toBeFocused();
    await expect(composer).toHaveValue('');

    // The composer's popovers: Enter opens one with focus inside, Escape closes it and focus is back on its button.
    const popovers = [
      ['Quick replies', page.getByRole('button', { name: /^Thanks/ })],
      ['Send later and options', page.getByTestId('send-at')],
    ] as const;
    for (const [name, first] of popovers) {
      await page.keyboard.press('Tab');
      const opener = page.getByRole('button', { name, exact: true });
      await expect(opener).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(first).toBeFocused();
      await expectRing(page);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog', { name })).toHaveCount(0);
      await expect(opener).toBeFocused();
      await expectRing(page);
    }
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(composer).toBeFocused();

    // Search with its shortcut; Enter opens the hit, and the caret is back in the composer.
    await page.keyboard.press('Control+k');
    const search = page.getByTestId('search-input');
    await expect(search).toBeFocused();
    await expectRing(page);
    await page.keyboard.type('parcel');
    await expect(page.getByTestId('search-result')).toHaveCount(1);
    await expect(page.getByTestId('search-result')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await expect(search).toHaveCount(0);
    await expect(composer).toBeFocused();
    await expectRing(page);

    // Tab goes once round the window, back to the composer, and passes the rail's Settings button; every stop on the
    // way shows where focus is (the browser's own stop between the last control and the first, the page, aside).
    const stops: string[] = [];
    for (let i = 0; i < 80 && (stops.length === 0 || !(await composer.evaluate((el) => el === document.activeElement))); i++) {
      await page.keyboard.press('Tab');
      const { el, ring } = await focusRing(page);
      stops.push(`${el}: ${ring ?? 'NO RING'}`);
    }
    const round = stops.join('\n');
    await expect(composer, round).toBeFocused();
    expect(stops.filter((s) => s.endsWith('NO RING') && !s.startsWith('body')), round).toEqual([]);
    expect(round).toContain('[data-testid=open-settings]');
    expect(round).toContain('[data-testid=thread-list]');

    // Settings by their shortcut take focus to their first section; Tab and Enter pick another.
    await page.keyboard.press('Control+,');
    await expect(page.getByTestId('settings')).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Settings sections' });
    await expect(nav.getByRole('button', { name: 'Account' })).toBeFocused();
    await expectRing(page);
    await page.keyboard.press('Tab');
    await expect(nav.getByRole('button', { name: 'Numbers' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(nav.getByRole('button', { name: 'Numbers' })).toHaveAttribute('aria-current', 'page');
    await expectRing(page);

    // Escape leaves the settings, and the caret is back in the composer it left.
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('settings')).toHaveCount(0);
    await expect(composer).toBeFocused();
    await expectRing(page);
    await expect(page.getByTestId('message').filter({ hasText: 'Your parcel is on its way' })).toBeVisible();
  });
}
