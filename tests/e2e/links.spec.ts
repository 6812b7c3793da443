import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { customerTexts, OURS, screenshotDir, sendSettled, threadItem } from './helpers';

/** Links in message text on the real app: anchors that open a new tab, keyboard reachable, legible on both bubbles. */
const CUSTOMER = '+19195557788';
const LONG = `https://example.com/track/${'7781a9f3'.repeat(24)}`;

/** WCAG contrast of an element's text (or focus ring) colour on its bubble's background, both read from the page. */
const contrastOnBubble = (link: Locator, property: 'color' | 'outlineColor' = 'color') =>
  link.evaluate((el, prop) => {
    const rgb = (css: string) => css.match(/[\d.]+/g)!.slice(0, 3).map(Number);
    const lum = (css: string) => {
      const [r, g, b] = rgb(css).map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const [a, b] = [lum(getComputedStyle(el)[prop]), lum(getComputedStyle(el.closest('.bubble')!).backgroundColor)].sort((x, y) => y - x);
    return (a! + 0.05) / (b! + 0.05);
  }, property);

test('links in messages are anchors that open a new tab, by click or keyboard, and are legible in both themes', async ({ app, page, context, rpc }) => {
  test.setTimeout(90_000);
  // Nothing leaves the machine: the opened tabs get a page from here.
  await context.route(/^https:\/\/(example\.com|www\.shop\.com)\//, (route) => route.fulfill({ contentType: 'text/html', body: '<title>elsewhere</title>' }));
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  const inbound = await customerTexts(rpc, CUSTOMER, OURS.tollFree, 'See https://example.com/track/7781. Or www.shop.com/order?id=5 (mail me at jane@example.com, not javascript:alert(1))');
  await sendSettled(rpc, { from: OURS.tollFree, to: [CUSTOMER], text: `Returns are at example.com/returns, and your parcel: ${LONG}` });

  await page.goto(app.ready.url);
  const appUrl = page.url();
  await threadItem(page, inbound.threadId).click();
  const received = page.locator(`[data-testid="message"][data-message-id="${inbound.id}"]`);
  const sent = page.locator('[data-testid="message"][data-direction="out"]');
  await expect(received.locator('.text')).toHaveText(inbound.text);

  const links = received.getByRole('link');
  await expect(links).toHaveCount(2);
  const track = links.nth(0);
  await expect(track).toHaveText('https://example.com/track/7781');
  await expect(track).toHaveAttribute('href', 'https://example.com/track/7781');
  await expect(track).toHaveAttribute('target', '_blank');
  await expect(track).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(links.nth(1)).toHaveText('www.shop.com/order?id=5');
  await expect(links.nth(1)).toHaveAttribute('href', 'https://www.shop.com/order?id=5');
  await expect(sent.getByRole('link')).toHaveText(['example.com/returns', LONG]);

  // A click opens a new page and leaves the app where it was.
  const [opened] = await Promise.all([context.waitForEvent('page'), track.click()]);
  await opened.waitForURL('https://example.com/track/7781');
  expect(await opened.evaluate(() => window.opener)).toBeNull();
  await opened.close();
  expect(page.url()).toBe(appUrl);
  await expect(received).toBeVisible();

  // Keyboard: Tab from the message log reaches the first link, which shows a focus ring, and Enter opens it.
  await page.getByRole('log').focus();
  await page.keyboard.press('Tab');
  await expect(track).toBeFocused();
  const [byKey] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('Enter')]);
  await byKey.waitForURL('https://example.com/track/7781');
  await byKey.close();
  expect(page.url()).toBe(appUrl);

  // A long URL wraps inside the bubble instead of widening it.
  const bubble = sent.locator('.bubble');
  const width = await bubble.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, box: el.getBoundingClientRect().width }));
  expect(width.scroll).toBeLessThanOrEqual(width.client);
  expect(width.box).toBeLessThanOrEqual(560);

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    for (const link of [track, sent.getByRole('link').first()]) {
      await expect(link).toHaveCSS('text-decoration-line', 'underline');
      expect(await contrastOnBubble(link), `${scheme}: ${await link.textContent()}`).toBeGreaterThanOrEqual(4.5);
    }
    // The focus ring shows on both bubbles (3:1 for a non-text indicator), the accent one included.
    for (const link of [sent.getByRole('link').first(), track]) {
      await link.focus();
      await expect(link).toHaveCSS('outline-style', 'solid');
      expect(await contrastOnBubble(link, 'outlineColor'), `${scheme} focus ring: ${await link.textContent()}`).toBeGreaterThanOrEqual(3);
    }
    await page.screenshot({ path: join(screenshotDir, `links-${scheme}.png`) });
    await sent.getByRole('link').first().focus();
    await sent.screenshot({ path: join(screenshotDir, `links-${scheme}-outbound-focus.png`) });
  }
});
