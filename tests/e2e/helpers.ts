import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import type { RpcConnection } from '../support/processes';
import type { Message, MessageStatus } from '../../shared/ipc/schemas';
import { expect } from './fixtures';

import { customerTexts } from '../support/coreHarness';

export { customerTexts };

/**
 * What specs share: our Sandbox numbers, the real ways to make data (a simulated customer texting us, a send
 * that settles), and page steps. The personas text our local numbers on their own, so specs that count threads
 * use the toll-free number, which only hears from the customers a spec makes up.
 */
export const OURS = { local: '+19195550100', local2: '+19195550101', tollFree: '+18885550102' } as const;

const FINAL: MessageStatus[] = ['delivered', 'failed', 'scheduled'];

/** Sends through the engine and waits until the message is delivered, failed or scheduled. */
export async function sendSettled(rpc: RpcConnection, input: { from: string; to: string[]; text: string; sendAt?: number }): Promise<Message> {
  const latest = new Map<string, Message>();
  const off = rpc.client.on('message.statusChanged', ({ message }) => latest.set(message.id, message));
  try {
    const { message } = await rpc.client.call('messages.send', input);
    if (FINAL.includes(message.status)) return message;
    const settled = latest.get(message.id);
    if (settled && FINAL.includes(settled.status)) return settled;
    return (await rpc.next('message.statusChanged', (p) => p.message.id === message.id && FINAL.includes(p.message.status), 30_000)).message;
  } finally {
    off();
  }
}

export const contact = (rpc: RpcConnection, number: string, name: string) => rpc.client.call('contacts.upsert', { number, name });

/** A picture for uploads: a card with a few lines of "print" on it, as a photo of a label or a receipt. */
export const photo = (name: string, rgb: [number, number, number] = [37, 99, 235]) => {
  const lines = [0, 1, 2, 3].map((i) => `<rect x="150" y="${150 + i * 34}" width="${300 - i * 50}" height="14" rx="7" fill="#9aa4b2"/>`).join('');
  const card = `<svg width="640" height="480"><rect x="110" y="70" width="420" height="340" rx="18" fill="#ffffff"/><rect x="150" y="100" width="120" height="28" rx="6" fill="rgb(${rgb.join(',')})"/>${lines}<rect x="150" y="300" width="340" height="70" rx="6" fill="#1f2937"/></svg>`;
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .composite([{ input: Buffer.from(card) }])
    .jpeg()
    .toBuffer()
    .then((buffer) => ({ name, mimeType: 'image/jpeg', buffer }));
};

/** Opens a conversation with `to` from the first number, through the new-conversation dialog. */
export async function startConversation(page: Page, ...to: string[]) {
  await page.getByTestId('new-conversation').click();
  await page.getByTestId('recipient-input').fill(to.join(', '));
  await page.getByTestId('start-conversation').click();
  await expect(page.getByTestId('composer-input')).toBeVisible();
}

export async function send(page: Page, text: string) {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
  return page.getByTestId('message').filter({ hasText: text });
}

export const threadItem = (page: Page, threadId: string) => page.locator(`[data-testid="thread-item"][data-thread-id="${threadId}"]`);

/** Opens the window and waits for the core; with `threadId`, opens that thread and waits for `ready` (a test id) in it. */
export async function openApp(page: Page, url: string, threadId?: string, ready = 'message') {
  await page.goto(url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  if (threadId) {
    await threadItem(page, threadId).click();
    await expect(page.getByTestId(ready).first()).toBeVisible();
  }
}

/**
 * Records every distinct value of `attribute` (or the text, for null) that elements matching `selector` show,
 * from now on, so a spec sees passing states however fast the real engine moves through them.
 */
export async function record(page: Page, name: string, selector: string, attribute: string | null) {
  await page.evaluate(
    ([key, sel, attr]) => {
      const seen: string[] = [];
      (window as unknown as Record<string, string[]>)[key!] = seen;
      const look = () => {
        for (const el of document.querySelectorAll(sel!)) {
          const value = attr ? el.getAttribute(attr) : el.textContent;
          if (value !== null && !seen.includes(value)) seen.push(value);
        }
      };
      look();
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    },
    [name, selector, attribute],
  );
  return () => page.evaluate((key) => (window as unknown as Record<string, string[]>)[key], name);
}

/**
 * Where the specs put their screenshots: the README's pictures in docs/screenshots/ when asked for
 * (`UPDATE_SCREENSHOTS=1`), otherwise test-results/, so an ordinary test run leaves the working tree as it was.
 */
export const screenshotDir = join(import.meta.dirname, '../..', process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');

/** What the accessibility audits (a11y.spec.ts, a11yNarrow.spec.ts) hold the window to: WCAG 2.0/2.1 A and AA. */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export const ADA = '+19195551234';
/** The Sandbox fails +1 919 555 CCCC with Bandwidth error CCCC: 4702 is "phone unavailable". */
export const LINUS = '+19195554702';

/**
 * Two conversations of a support day, as the README's pictures and the accessibility audits show them: Linus's with a
 * reply that fails (his phone is off), then Ada's with an MMS picture, a delivered reply and one scheduled for tomorrow.
 */
export async function adaAndLinus(rpc: RpcConnection) {
  const linus = await customerTexts(rpc, LINUS, OURS.tollFree, 'Is my appointment still on?');
  await sendSettled(rpc, { from: OURS.tollFree, to: [LINUS], text: 'Yes, see you at 3 pm!' });
  await customerTexts(rpc, ADA, OURS.local, 'Hi! My order #4471 arrived, but the box was damaged.');
  const ada = await customerTexts(rpc, ADA, OURS.local, 'Here is a photo of the box:', 1);
  await sendSettled(rpc, { from: OURS.local, to: [ADA], text: 'So sorry about that, Ada. A replacement ships today.' });
  const tomorrow = new Date();
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  await sendSettled(rpc, { from: OURS.local, to: [ADA], text: 'Reminder: the courier comes tomorrow between 9 and 11.', sendAt: tomorrow.getTime() });
  return { ada: ada.threadId, linus: linus.threadId };
}

/** The accessibility audits' data: adaAndLinus, with their names, and a quick reply. */
export async function seedSupportDay(rpc: RpcConnection) {
  await contact(rpc, ADA, 'Ada Lovelace');
  await contact(rpc, LINUS, 'Linus Pauling');
  await rpc.client.call('settings.update', { quickReplies: [{ id: 'q1', title: 'Order shipped', body: 'Hi {first_name}, your order {} shipped today.' }] });
  return adaAndLinus(rpc);
}

/**
 * Runs axe on the page as it is and returns one readable line per violating node (rule, where, why). A screenshot of
 * the state goes to A11Y_SHOTS when set, for a person to look at.
 */
export async function audit(page: Page, state: string): Promise<string[]> {
  const shots = process.env.A11Y_SHOTS;
  if (shots) await page.screenshot({ path: join(shots, `${state}.png`) });
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  return violations.flatMap((v) =>
    v.nodes.map((n) => `[${state}] ${v.id} (${v.impact}): ${v.help}\n    at ${n.target.join(' ')}\n    ${n.failureSummary?.replaceAll('\n', '\n    ')}`),
  );
}

/** audit() on every section of the settings, opened from the rail: `state` names each from its section's slug. */
export async function auditSettings(page: Page, state: (section: string) => string): Promise<string[]> {
  const found: string[] = [];
  await page.getByTestId('open-settings').click();
  const sections = page.getByRole('navigation', { name: 'Settings sections' }).getByRole('button');
  for (const name of await sections.allTextContents()) {
    await sections.filter({ hasText: name }).click();
    await expect(page.getByTestId('settings').locator('section, form').first()).toBeVisible();
    found.push(...(await audit(page, state(`settings-${name.toLowerCase().replaceAll(' ', '-')}`))));
  }
  return found;
}

/** The focused element, described for a failure message, and the focus ring it shows (null: none visible). */
export function focusRing(page: Page) {
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

export async function expectRing(page: Page) {
  const { el, ring } = await focusRing(page);
  expect(ring, `focus ring on ${el}`).not.toBeNull();
}

