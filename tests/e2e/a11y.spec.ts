import { expect, test } from './fixtures';
import { audit, auditSettings, expectRing, focusRing, openApp, seedSupportDay, threadItem } from './helpers';

/**
 * An accessibility audit of the window with axe-core (WCAG 2.0/2.1 A and AA rules), in light and dark, on the main
 * states with real data: a conversation with an MMS picture, a failed message and a scheduled one, the composer's
 * popovers, the image viewer, the shortcut guide, the new-conversation view (with a recipient chip), search with
 * results, every settings section, the contact panel and the Sandbox's "Simulate a customer text" dialog. Every
 * violation is listed (rule, where, why) before the spec fails; no rule is excluded. Then one flow by keyboard alone.
 * Screenshots go to A11Y_SHOTS when set, for a person to look at. a11yNarrow.spec.ts audits the narrow and phone layouts.
 */
for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds no WCAG 2.1 A/AA violation in the main states (${scheme})`, async ({ app, page, rpc }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const threads = await seedSupportDay(rpc);
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

    found.push(...(await auditSettings(page, (section) => `${scheme}-${section}`)));

    expect(found, `axe violations:\n${found.join('\n')}`).toEqual([]);
  });
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
