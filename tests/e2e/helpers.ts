import { join } from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import type { RpcConnection } from '../support/processes';
import type { Message, MessageStatus } from '../../shared/ipc/schemas';
import { expect } from './fixtures';

export { customerTexts } from '../support/coreHarness';

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
