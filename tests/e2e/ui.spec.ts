import type { Page } from '@playwright/test';
import type { RpcConnection } from '../support/processes';
import { startLocaltunnelServer } from '../support/localtunnelServer';
import { killAll, startSandboxProcess } from '../support/processes';
import { expect, test } from './fixtures';
import { contact, customerTexts, openApp, OURS, photo, record, sendSettled, threadItem } from './helpers';

/**
 * The window's behaviour against the real core in browser mode on the Sandbox. Each spec makes its data the
 * real way: simulated customers texting us (sandbox.simulateInbound), sends through the engine, contacts and
 * settings through their RPC methods. engine.spec.ts holds the end-to-end flows.
 */
const ADA = '+19195551234';
const LINUS = '+19195553333';
const GRACE = '+19195552001';
const ALAN = '+19195552002';
/** The Sandbox fails every message to +1 919 555 4720 with error 4720 (invalid destination). */
const INVALID = '+19195554720';

test.afterAll(killAll);

/** The window title carries the unread total the engine counts. */
async function expectTitleToMatchUnread(page: Page, rpc: RpcConnection) {
  await expect
    .poll(async () => {
      const { threads } = await rpc.client.call('threads.list', { view: 'unread', limit: 200 });
      const total = threads.reduce((sum, t) => sum + t.unread, 0);
      return (await page.title()) === (total ? `(${total}) Switchboard` : 'Switchboard');
    })
    .toBe(true);
}

test.describe('thread list', () => {
  test('shows newest first with unread counts, previews, our number, and the unread total in the title', async ({ app, page, rpc }) => {
    await contact(rpc, ADA, 'Ada Lovelace');
    const linus = await customerTexts(rpc, LINUS, OURS.tollFree, 'Is my appointment still on?');
    await customerTexts(rpc, ADA, OURS.tollFree, 'Hello!');
    const ada = await customerTexts(rpc, ADA, OURS.tollFree, 'Do you ship to Canada?');
    await openApp(page, app.ready.url);
    // Only the toll-free number: the simulated personas write to the local ones whenever they like.
    await page.getByRole('button', { name: 'Only (888) 555-0102' }).click();
    const items = page.getByTestId('thread-item');
    await expect(items).toHaveCount(2);
    await expect(items.first()).toHaveAttribute('data-thread-id', ada.threadId);
    await expect(items.first().getByTestId('unread-count')).toHaveText('2');
    await expect(items.first()).toContainText('Ada Lovelace');
    await expect(items.first()).toContainText('Do you ship to Canada?');
    await expect(items.first()).toContainText('via (888) 555-0102');
    await expect(page).toHaveTitle(/^\((\d{2,}|[3-9])\) Switchboard$/);
    await expectTitleToMatchUnread(page, rpc);
    await items.first().click();
    await expect(items.first().getByTestId('unread-count')).toHaveCount(0);
    expect((await rpc.client.call('threads.get', { threadId: ada.threadId })).thread.unread).toBe(0);
    await expectTitleToMatchUnread(page, rpc);
    // A message arriving elsewhere moves its thread to the top.
    await customerTexts(rpc, LINUS, OURS.tollFree, 'Is the store open on Sunday?');
    await expect(items.first()).toHaveAttribute('data-thread-id', linus.threadId);
    await expect(items.first()).toContainText('Is the store open on Sunday?');
  });

  test('filters by view and by our number from the rail', async ({ app, page, rpc }) => {
    const plain = await customerTexts(rpc, ADA, OURS.local, 'Thanks, got it.');
    const failed = await sendSettled(rpc, { from: OURS.tollFree, to: [INVALID], text: 'Your code is 4471.' });
    expect(failed.status).toBe('failed');
    const stop = await customerTexts(rpc, LINUS, OURS.tollFree, 'STOP');
    await openApp(page, app.ready.url);
    await page.getByTestId('view-failed').click();
    await expect(threadItem(page, failed.threadId)).toBeVisible();
    await expect(threadItem(page, plain.threadId)).toHaveCount(0);
    await page.getByTestId('view-opted-out').click();
    await expect(threadItem(page, stop.threadId)).toBeVisible();
    await expect(threadItem(page, failed.threadId)).toHaveCount(0);
    await page.getByTestId('view-all').click();
    await expect(threadItem(page, plain.threadId)).toBeVisible();
    await page.getByRole('button', { name: 'Only (888) 555-0102' }).click();
    await expect(page.getByTestId('thread-item')).toHaveCount(2);
    await expect(page.getByTestId('thread-item').first()).toContainText('via (888) 555-0102');
    await expect(page.getByText('via (919) 555-0100')).toHaveCount(0);
  });

  test('is virtualised and keyboard-navigable', async ({ app, page, rpc }) => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => customerTexts(rpc, `+1919555${6000 + i}`, OURS.tollFree, `Question ${i}`)));
    await contact(rpc, GRACE, 'Grace Hopper');
    await customerTexts(rpc, GRACE, OURS.tollFree, 'Are we still on?');
    await customerTexts(rpc, ADA, OURS.tollFree, 'Newest of all');
    await openApp(page, app.ready.url);
    await page.getByRole('button', { name: 'Only (888) 555-0102' }).click();
    await expect(page.getByTestId('thread-item').first()).toContainText('Newest of all');
    // 42 threads, but only the rows in view (and a few more) are in the DOM.
    expect(await page.getByTestId('thread-item').count()).toBeLessThan(30);
    await page.getByTestId('thread-list').focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('thread-item').first()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('thread-item').nth(1)).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('heading', { name: /Grace Hopper/ })).toBeVisible();
    await page.keyboard.press('End');
    await expect(page.locator('[data-testid="thread-item"][aria-selected="true"]')).toBeInViewport();
    await expect(page.locator('[data-testid="thread-item"][aria-selected="true"]')).toContainText(/Question \d+/);
  });

  test('a new conversation validates and formats numbers as typed and picks the sender', async ({ app, page }) => {
    await openApp(page, app.ready.url);
    await page.keyboard.press('Control+n');
    const input = page.getByTestId('recipient-input');
    await input.pressSequentially('9195550');
    await expect(input).toHaveValue('(919) 555-0');
    await input.pressSequentially('199,');
    await expect(page.locator('.recipient-chip')).toHaveText(['(919) 555-0199']);
    await input.fill('12');
    await page.getByTestId('sender-select').selectOption(OURS.tollFree);
    await page.getByTestId('start-conversation').click();
    await expect(page.getByTestId('recipient-feedback')).toHaveText(/^"1 ?2" is not a valid phone number\.$/);
    await input.fill('919 555 0142');
    await page.getByTestId('start-conversation').click();
    // The engine keeps a group's numbers in one order, whatever order they were typed in.
    await expect(page.getByRole('heading', { name: '(919) 555-0142, (919) 555-0199' })).toBeVisible();
    await expect(page.getByText('from (888) 555-0102')).toBeVisible();
  });

  test('several numbers pasted with only spaces between them become one chip each', async ({ app, page }) => {
    await openApp(page, app.ready.url);
    // Alt+N, which a browser leaves to the page (it keeps Ctrl+N for a new window).
    await page.keyboard.press('Alt+n');
    await page.getByTestId('recipient-input').fill('+19195550142 (919) 555-0199');
    await expect(page.locator('.recipient-chip')).toHaveText(['(919) 555-0142', '(919) 555-0199']);
    await expect(page.getByTestId('recipient-input')).toHaveValue('');
    await expect(page.getByTestId('recipient-abroad')).toHaveCount(0);
    // A number abroad is said to depend on the account before the first message, not learnt from a 4432 after it.
    await page.getByTestId('recipient-input').fill('+44 20 7946 0958');
    await expect(page.getByTestId('recipient-abroad')).toContainText('+44 20 7946 0958 is outside the US and Canada');
  });
});

test.describe('conversation', () => {
  test('groups by day and sender, names senders in groups, and shows per-recipient status', async ({ app, page, rpc }) => {
    await contact(rpc, GRACE, 'Grace Hopper');
    await contact(rpc, ALAN, 'Alan Turing');
    // A group: Grace writes to our number and to Alan and a third customer, whose number the carrier refuses.
    const opening = await customerTexts(rpc, GRACE, [OURS.local2, ALAN, INVALID], 'Works for me.');
    await customerTexts(rpc, ALAN, [OURS.local2, GRACE, INVALID], 'Same here. Should I bring the badge?');
    await customerTexts(rpc, ALAN, [OURS.local2, GRACE, INVALID], 'And the spare keys.');
    const sent = await sendSettled(rpc, { from: OURS.local2, to: [GRACE, ALAN, INVALID], text: 'Team: the site visit moved to Thursday 10 am.' });
    expect(sent.threadId).toBe(opening.threadId);
    await openApp(page, app.ready.url, opening.threadId);
    await expect(page.getByRole('separator').filter({ hasText: 'Today' })).toBeVisible();
    await expect(page.locator('.sender')).toHaveText(['Grace Hopper', 'Alan Turing']);
    const bubble = page.getByTestId('message').filter({ hasText: 'site visit' });
    await expect(bubble.getByTestId('message-status')).toHaveAttribute('title', '2 of 3 handed to the carrier, 1 failed');
    await bubble.getByText('2 of 3 handed to the carrier, 1 failed').click();
    await expect(bubble.locator('[data-testid="delivery"][data-status="failed"]')).toContainText('(919) 555-4720');
    await expect(bubble.locator('[data-testid="delivery"][data-status="delivered"]')).toHaveCount(2);
  });

  test('ticks are honest about what delivered means', async ({ app, page, rpc }) => {
    const inbound = await customerTexts(rpc, ADA, OURS.tollFree, 'Could you resend the invoice?');
    await openApp(page, app.ready.url, inbound.threadId);
    // Every state the bubble passes through, with its tooltip, however fast the engine moves.
    const seen = await record(page, 'ticks', '[data-testid="message"][data-direction="out"] [data-testid="message-status"]', 'title');
    const sms = page.getByTestId('message').filter({ hasText: 'Anything else' });
    await page.getByTestId('composer-input').fill('Anything else I can do for you today?');
    await page.getByTestId('composer-input').press('Enter');
    await expect(sms).toHaveAttribute('data-status', 'delivered', { timeout: 20_000 });
    await expect(sms.getByTestId('message-status')).toHaveAttribute('title', 'Delivered to the phone');
    expect(await seen()).toContain('Waiting in the send queue');
    expect(await seen()).toContain('Sent to the carrier, waiting for a delivery receipt');

    await page.getByTestId('attachment-input').setInputFiles(await photo('invoice.jpg'));
    await expect(page.getByTestId('attachment-chip')).toHaveAttribute('data-state', 'ready');
    await page.getByTestId('composer-input').fill('Of course, attached.');
    await page.getByTestId('send-button').click();
    const mms = page.getByTestId('message').filter({ hasText: 'Of course' });
    await expect(mms).toHaveAttribute('data-status', 'delivered', { timeout: 20_000 });
    await expect(mms.getByTestId('message-status')).toHaveAttribute('title', /Handed to the carrier.*does not prove/);
  });

  test('shows the newest messages first and loads older pages on scroll without jumping', async ({ app, page, rpc }) => {
    let threadId = '';
    for (let i = 0; i < 70; i++) threadId = (await customerTexts(rpc, ADA, OURS.tollFree, `Earlier question number ${i} about the order`)).threadId;
    const newest = await rpc.client.call('messages.list', { threadId, limit: 50 });
    await openApp(page, app.ready.url, threadId);
    await expect(page.getByTestId('message').filter({ hasText: 'question number 69 ' })).toBeInViewport();
    await expect(page.getByText('Beginning of the conversation')).toHaveCount(0);
    const anchor = page.locator(`[data-testid="message"][data-message-id="${newest.messages[0]!.id}"]`);
    // Where the first message of the newest page is on screen, every frame from the moment the reader reaches the top
    // until the older page has been above it, and measured, for 30 frames (the list grows when it arrives).
    await page.getByRole('log').evaluate((log, id) => {
      const ys: number[] = [];
      const w = window as unknown as { ys: number[]; settled: boolean };
      w.ys = ys;
      w.settled = false;
      const height = log.scrollHeight;
      let since = 0;
      const frame = () => {
        const y = document.querySelector(`[data-message-id="${id}"]`)?.getBoundingClientRect().y;
        if (y !== undefined) ys.push(y);
        if (log.scrollHeight > height) since++;
        if (since < 30) requestAnimationFrame(frame);
        else w.settled = true;
      };
      log.scrollTop = 0;
      requestAnimationFrame(frame);
    }, newest.messages[0]!.id);
    await page.waitForFunction(() => (window as unknown as { settled: boolean }).settled);
    await expect(page.getByText('Loading older messages…')).toHaveCount(0);
    // The older page arrived above; the message the reader was looking at stayed where it was.
    const frames = await page.evaluate(() => (window as unknown as { ys: number[] }).ys);
    expect(frames.length).toBeGreaterThan(30);
    const ys = [...frames, (await anchor.boundingBox())!.y];
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan(4);
    // That was the whole history: further up are the first question and the line that says so.
    await page.getByRole('log').evaluate((log) => (log.scrollTop = 0));
    await expect(page.getByTestId('message').filter({ hasText: 'question number 0 ' })).toBeInViewport();
    await expect(page.getByText('Beginning of the conversation')).toBeInViewport();
  });

  test('follows new messages only for a reader at the bottom, counts them for one up in the history, shows what the agent sends, and a jump into the past scrolls down to the newest', async ({ app, page, rpc }) => {
    const ask = (text: string) => customerTexts(rpc, ADA, OURS.local2, text);
    const { threadId } = await ask('The unmistakable first question');
    for (let i = 1; i < 80; i++) await ask(`Follow-up number ${i} about the delivery`);
    await openApp(page, app.ready.url, threadId);
    const log = page.getByRole('log');
    const message = (text: string) => page.getByTestId('message').filter({ hasText: text });

    // At the bottom the view follows a new message, and stays there while the composer grows.
    await ask('A new question at the bottom');
    await expect(message('A new question at the bottom')).toBeInViewport();
    await page.getByTestId('composer-input').fill('One\ntwo\nthree\nfour\nfive\nsix');
    await expect(message('A new question at the bottom')).toBeInViewport();
    await page.getByTestId('composer-input').fill('');

    // A reader who scrolled up stays where they are when a message arrives.
    const id = await log.evaluate((el) => {
      el.scrollTop = el.scrollHeight - el.clientHeight - 600;
      const box = el.getBoundingClientRect();
      return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)?.closest('[data-testid="message"]')?.getAttribute('data-message-id');
    });
    const reading = page.locator(`[data-testid="message"][data-message-id="${id}"]`);
    await expect(reading).toBeInViewport();
    const y = (await reading.boundingBox())!.y;
    await ask('A question while the agent reads');
    await expect(threadItem(page, threadId)).toContainText('A question while the agent reads');
    await expect(message('A question while the agent reads')).not.toBeInViewport();
    expect((await reading.boundingBox())!.y).toBe(y);
    // The engine marks it read, so the view says it came and jumps down to it on a click.
    await ask('And one more while the agent reads');
    await expect(page.getByTestId('jump-to-newest')).toHaveText('↓ 2 new messages');
    expect((await reading.boundingBox())!.y).toBe(y);
    await page.getByTestId('jump-to-newest').click();
    await expect(message('And one more while the agent reads')).toBeInViewport();
    await expect(page.getByTestId('jump-to-newest')).toHaveCount(0);

    // The agent's own message shows wherever they were reading.
    await log.evaluate((el) => (el.scrollTop = el.scrollHeight - el.clientHeight - 600));
    await page.getByTestId('composer-input').fill('Sent while reading up the thread');
    await page.getByTestId('composer-input').press('Enter');
    await expect(message('Sent while reading up the thread')).toBeInViewport();

    // A search jump opens a slice of the past; scrolling down fetches the newer pages up to the newest, and from there
    // the view follows new messages again.
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').pressSequentially('unmistakable');
    await expect(page.getByTestId('search-result')).toHaveCount(1);
    await page.keyboard.press('Enter');
    await expect(message('The unmistakable first question')).toBeInViewport();
    await expect(async () => {
      await log.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await expect(message('A question while the agent reads')).toBeInViewport({ timeout: 500 });
    }).toPass();
    await ask('The newest question of all');
    await expect(message('The newest question of all')).toBeInViewport();

    // Sent from a slice of the past, it shows at once: the newest page opens.
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').pressSequentially('unmistakable');
    await page.keyboard.press('Enter');
    await expect(message('The unmistakable first question')).toBeInViewport();
    await page.getByTestId('composer-input').fill('Sent from the first page of the past');
    await page.getByTestId('composer-input').press('Enter');
    await expect(message('Sent from the first page of the past')).toBeInViewport();
  });

  test('inbound media shows inline, images open in a viewer, and files show as cards', async ({ app, page, rpc }) => {
    const box = await customerTexts(rpc, ADA, OURS.local, 'Here is a photo of the box that arrived:', 1);
    await openApp(page, app.ready.url, box.threadId);
    const image = page.getByTestId('message').filter({ hasText: 'photo of the box' }).getByTestId('message-media');
    await expect(image.locator('img')).toHaveJSProperty('complete', true);
    expect(await image.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await image.locator('img').click();
    await expect(page.getByRole('dialog', { name: box.attachments[0]!.name }).locator('img')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    // A PDF the agent sends shows as a card with its name.
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    await page.getByTestId('attachment-input').setInputFiles({ name: 'invoice-4471.pdf', mimeType: 'application/pdf', buffer: pdf });
    await expect(page.getByTestId('attachment-chip')).toHaveAttribute('data-state', 'ready');
    await page.getByTestId('composer-input').fill('Of course — attached.');
    await page.getByTestId('send-button').click();
    await expect(page.getByTestId('message').filter({ hasText: 'Of course' }).getByTestId('message-media')).toContainText('invoice-4471.pdf');
  });
});

test.describe('composer', () => {
  test('Enter sends, Shift+Enter adds a line, and the message reaches delivered', async ({ app, page, rpc }) => {
    const inbound = await customerTexts(rpc, LINUS, OURS.tollFree, 'Is my appointment still on?');
    await openApp(page, app.ready.url, inbound.threadId);
    const input = page.getByTestId('composer-input');
    await input.pressSequentially('Line one');
    await input.press('Shift+Enter');
    await input.pressSequentially('Line two');
    await expect(input).toHaveValue('Line one\nLine two');
    await input.press('Enter');
    await expect(input).toHaveValue('');
    const sent = page.getByTestId('message').filter({ hasText: 'Line two' });
    await expect(sent).toHaveAttribute('data-status', 'delivered', { timeout: 20_000 });
    await expect(sent.getByTestId('message-status')).toHaveAttribute('title', 'Delivered to the phone');
  });

  test('counts segments, highlights the characters that force UCS-2, fixes them in one click, and enforces 2048', async ({ app, page, rpc }) => {
    const inbound = await customerTexts(rpc, LINUS, OURS.tollFree, 'Hi there');
    await openApp(page, app.ready.url, inbound.threadId);
    const input = page.getByTestId('composer-input');
    const counter = page.getByTestId('segment-counter');
    await input.fill('Hello there');
    await expect(counter).toContainText('GSM-7');
    await expect(counter).toContainText('149 left · 1 segment');
    await input.fill('We’ll be there — promise');
    await expect(page.getByTestId('segment-encoding')).toHaveText('UCS-2');
    await expect(page.getByTestId('ucs2-char')).toHaveText(['’', '—']);
    await page.getByRole('button', { name: 'Replace smart punctuation' }).click();
    await expect(input).toHaveValue("We'll be there - promise");
    await expect(page.getByTestId('segment-encoding')).toHaveText('GSM-7');
    await input.fill('x'.repeat(2050));
    await expect(counter).toContainText('2 over the 2048 limit');
    await page.getByTestId('send-button').click();
    await expect(page.getByTestId('composer-error')).toHaveText('The text is 2 characters over the 2048 limit.');
  });

  test('keeps a draft per thread across navigation and reloads', async ({ app, page, rpc }) => {
    const linus = await customerTexts(rpc, LINUS, OURS.tollFree, 'Is my appointment still on?');
    const ada = await customerTexts(rpc, ADA, OURS.tollFree, 'Hello!');
    await openApp(page, app.ready.url, linus.threadId);
    await page.getByTestId('composer-input').fill('draft for Linus');
    await threadItem(page, ada.threadId).click();
    await expect(page.getByTestId('composer-input')).toHaveValue('');
    await page.getByTestId('composer-input').fill('draft for Ada');
    await page.reload();
    await threadItem(page, linus.threadId).click();
    await expect(page.getByTestId('composer-input')).toHaveValue('draft for Linus');
    await threadItem(page, ada.threadId).click();
    await expect(page.getByTestId('composer-input')).toHaveValue('draft for Ada');
  });

  test('quick replies fill variables and make the agent fill blanks', async ({ app, page, rpc }) => {
    await rpc.client.call('settings.update', {
      quickReplies: [{ id: 'q1', title: 'Order shipped', body: 'Hi {first_name}, your order {} shipped today and should arrive by {date}.' }],
    });
    await contact(rpc, ADA, 'Ada Lovelace');
    const inbound = await customerTexts(rpc, ADA, OURS.tollFree, 'Where is my order?');
    await openApp(page, app.ready.url, inbound.threadId);
    await page.getByRole('button', { name: 'Quick replies' }).click();
    await page.getByRole('button', { name: /Order shipped/ }).click();
    await expect(page.getByLabel('first name')).toHaveValue('Ada');
    const insert = page.getByRole('button', { name: 'Insert' });
    await expect(insert).toBeDisabled();
    await page.getByLabel('Blank 1').fill('#4471');
    await page.getByLabel('date').fill('Friday');
    await insert.click();
    await expect(page.getByTestId('composer-input')).toHaveValue('Hi Ada, your order #4471 shipped today and should arrive by Friday.');
  });

  test('a recipient who opted out blocks the composer, also when the STOP comes in while the thread is open', async ({ app, page, rpc }) => {
    const opted = await customerTexts(rpc, ADA, OURS.tollFree, 'STOP');
    const linus = await customerTexts(rpc, LINUS, OURS.tollFree, 'Is my appointment still on?');
    await openApp(page, app.ready.url);
    await page.getByTestId('view-opted-out').click();
    await threadItem(page, opted.threadId).click();
    await expect(page.getByTestId('opted-out-block')).toContainText('opted out');
    await expect(page.getByTestId('composer-input')).toHaveCount(0);
    // The customer texts STOP while the agent has the thread open and is writing.
    await page.getByTestId('view-all').click();
    await threadItem(page, linus.threadId).click();
    await page.getByTestId('composer-input').fill('one more thing');
    await customerTexts(rpc, LINUS, OURS.tollFree, 'STOP');
    await expect(page.getByTestId('opted-out-block')).toContainText('reply START');
    await expect(page.getByTestId('composer-input')).toHaveCount(0);
  });
});

test.describe('MMS', () => {
  test('the picker attaches files and a refused file is named in the error; chips can be removed', async ({ app, page, rpc }) => {
    const inbound = await customerTexts(rpc, LINUS, OURS.tollFree, 'Can you send the receipt?');
    await openApp(page, app.ready.url, inbound.threadId);
    await page.getByTestId('attachment-input').setInputFiles([
      { name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00') },
      await photo('receipt.jpg'),
    ]);
    const bad = page.getByTestId('attachment-chip').filter({ hasText: 'setup.exe' });
    await expect(bad).toHaveAttribute('data-state', 'failed');
    await expect(bad).toContainText('setup.exe');
    await expect(bad).toContainText(/cannot be sent/);
    await expect(page.getByTestId('attachment-chip').filter({ hasText: 'receipt.jpg' })).toHaveAttribute('data-state', 'ready');
    await bad.getByRole('button', { name: 'Remove setup.exe' }).click();
    await expect(page.getByTestId('attachment-chip')).toHaveCount(1);
  });

  test('pasting an image from the clipboard attaches it', async ({ app, page, rpc }) => {
    const inbound = await customerTexts(rpc, LINUS, OURS.tollFree, 'Can you send the receipt?');
    await openApp(page, app.ready.url, inbound.threadId);
    await page.getByTestId('composer-input').evaluate(async (input) => {
      const canvas = Object.assign(document.createElement('canvas'), { width: 32, height: 32 });
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      const dt = new DataTransfer();
      dt.items.add(new File([blob], 'pasted.png', { type: 'image/png' }));
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    await expect(page.getByTestId('attachment-chip')).toContainText('pasted.png');
    await expect(page.getByTestId('attachment-chip')).toHaveAttribute('data-state', 'ready');
  });
});

test.describe('search', () => {
  /** A customer's history: questions in, answers out. */
  async function history(rpc: RpcConnection) {
    await contact(rpc, ADA, 'Ada Lovelace');
    let threadId = '';
    for (let i = 0; i < 12; i++) threadId = (await customerTexts(rpc, ADA, OURS.tollFree, `Earlier question number ${i} about the order`)).threadId;
    for (let i = 0; i < 3; i++) await sendSettled(rpc, { from: OURS.tollFree, to: [ADA], text: `Earlier answer ${i}: happy to help with that.` });
    const other = await customerTexts(rpc, LINUS, OURS.tollFree, 'Is my appointment still on?');
    return { threadId, other: other.threadId };
  }

  test('Ctrl+K finds as you type with highlighted snippets, arrows move, Enter jumps to the message and highlights it', async ({ app, page, rpc }) => {
    const { other } = await history(rpc);
    await openApp(page, app.ready.url, other);
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').pressSequentially('question number');
    const results = page.getByTestId('search-result');
    await expect(results.first()).toBeVisible();
    // The engine matches words, and marks each.
    await expect(results.first().locator('mark')).toHaveText(['question', 'number']);
    await page.keyboard.press('ArrowDown');
    await expect(results.nth(1)).toHaveAttribute('aria-selected', 'true');
    const target = await results.nth(1).getAttribute('data-message-id');
    await page.keyboard.press('Enter');
    const message = page.locator(`[data-testid="message"][data-message-id="${target}"]`);
    await expect(message).toBeInViewport();
    await expect(message).toHaveClass(/highlighted/);
    await expect(page.getByRole('heading', { name: 'Ada Lovelace' })).toBeVisible();
  });

  test('filters narrow the results', async ({ app, page, rpc }) => {
    await history(rpc);
    await openApp(page, app.ready.url);
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').fill('earlier');
    await expect(page.getByTestId('search-result').filter({ hasText: 'question' }).first()).toBeVisible();
    await page.getByLabel('Direction').selectOption('out');
    await expect(page.getByTestId('search-result')).toHaveCount(3);
    await expect(page.getByTestId('search-result').first()).toContainText('Earlier answer');
    await expect(page.getByTestId('search-result').filter({ hasText: 'question' })).toHaveCount(0);
  });
});

test('in the Sandbox, "Simulate a customer text" brings in a group MMS from made-up customers', async ({ app, page, rpc }) => {
  await contact(rpc, ADA, 'Ada Lovelace');
  await openApp(page, app.ready.url);
  await page.getByTestId('simulate-inbound').click();
  await page.getByTestId('simulate-from').fill('(919) 555-1234');
  await page.getByTestId('simulate-others').fill('919 555 3333');
  await page.getByTestId('simulate-text').fill('Photos from both of us');
  await page.getByTestId('simulate-images').selectOption('1');
  await page.getByTestId('simulate-send').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const item = page.getByTestId('thread-item').filter({ hasText: 'Photos from both of us' });
  await expect(item).toContainText('Ada Lovelace');
  await item.click();
  const message = page.getByTestId('message').filter({ hasText: 'Photos from both of us' });
  await expect(message.locator('.sender')).toHaveText('Ada Lovelace');
  await expect(message.getByTestId('message-media').locator('img')).toHaveJSProperty('complete', true);
  expect(await message.getByTestId('message-media').locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(page.getByText('Group of 2')).toBeVisible();
  // A number that is not one is refused in words, and nothing is sent.
  await page.getByTestId('simulate-inbound').click();
  await page.getByTestId('simulate-from').fill('12');
  await page.getByTestId('simulate-send').click();
  await expect(page.getByRole('dialog').getByRole('alert')).toHaveText('"12" is not a valid phone number.');
});

test.describe('settings and chrome', () => {
  test('credentials are write-only with validation feedback; tunnel URL can be copied; theme switches', async ({ app, page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    // A Live account: the simulator in its own process stands in for Bandwidth, a loopback localtunnel server
    // for the tunnel service (TOOLCHAIN.md: the real one is not reachable from here).
    const bandwidth = await startSandboxProcess();
    const tunnel = await startLocaltunnelServer();
    try {
      app.args = ['--tunnel-host', tunnel.host];
      await openApp(page, (await app.restart()).url);
      await page.getByTestId('open-settings').click();
      await expect(page.getByTestId('settings')).toBeVisible();
      await page.getByText('Live', { exact: true }).click();
      const account = bandwidth.ready;
      await page.getByTestId('account-id').fill(account.accountId);
      await page.getByLabel('Messaging application id').fill(account.applicationId);
      await page.getByLabel('Client id').fill(account.clientId);
      await page.getByLabel(/^Numbers/).fill(account.numbers.map((n) => `${n} ${n.startsWith('+1888') ? 'toll-free' : 'local'}`).join('\n'));
      await page.getByText('Base URLs and limits').click();
      await page.getByLabel('Messaging API').fill(account.baseUrl);
      await page.getByLabel('OAuth2 token URL').fill(account.tokenUrl);
      await page.getByLabel('Dashboard API').fill(account.dashboardUrl);
      await page.getByTestId('credential-secret').fill('wrong');
      await page.getByTestId('credentials-save').click();
      await expect(page.getByTestId('settings-feedback')).toContainText('Bandwidth refused');
      await expect(page.getByTestId('credential-secret')).toHaveValue('');
      await page.getByTestId('credential-secret').fill(account.clientSecret);
      await page.getByTestId('credentials-save').click();
      await expect(page.getByTestId('settings-feedback')).toHaveText('Credentials checked and saved.');
      await expect(page.getByTestId('credentials-status')).toContainText(`Live account ${account.accountId}`);
      await expect(page.getByTestId('credential-secret')).toHaveValue('');
      await expect(page.getByTestId('account-mode')).toHaveText(`Account ${account.accountId}`);

      await page.getByRole('button', { name: 'Callbacks and tunnel' }).click();
      const publicUrl = page.getByTestId('public-url');
      await expect(publicUrl).toHaveText(/^http:\/\/127\.0\.0\.1:\d+/, { timeout: 20_000 });
      await page.getByTestId('copy-public-url').click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await publicUrl.textContent());
      await expect(page.getByTestId('tunnel-status')).toHaveText('Tunnel online');
    } finally {
      await bandwidth.kill();
      await tunnel.close();
    }

    await page.getByRole('button', { name: 'Appearance' }).click();
    await page.getByText('Dark', { exact: true }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  });

  test('status bar shows queue depth, its estimate and the scheduled count; Ctrl+/ opens the shortcut guide', async ({ app, page, rpc }) => {
    const tomorrow = Date.now() + 86_400_000;
    for (const text of ['Reminder one', 'Reminder two']) await sendSettled(rpc, { from: OURS.tollFree, to: [ADA], text, sendAt: tomorrow });
    await openApp(page, app.ready.url);
    await expect(page.getByTestId('queue-status')).toHaveText('Queue empty · 2 scheduled');
    const seen = await record(page, 'queue', '[data-testid="queue-status"]', null);
    // A burst from the toll-free number (3 segments a second) fills the queue for a moment.
    await Promise.all(Array.from({ length: 9 }, (_, i) => rpc.client.call('messages.send', { from: OURS.tollFree, to: [LINUS], text: `Update ${i}` })));
    await expect.poll(seen).toContainEqual(expect.stringMatching(/^\d+ queued, all sent (now|in \d+ s) · 2 scheduled$/));
    await expect(page.getByTestId('queue-status')).toHaveText('Queue empty · 2 scheduled', { timeout: 20_000 });
    await page.keyboard.press('Control+/');
    await expect(page.getByTestId('shortcut-guide')).toContainText('Search all messages');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcut-guide')).toHaveCount(0);
  });

  test('an inbound message while the window is in the background notifies, and the notification opens the thread', async ({ app, page, context, rpc }) => {
    await context.grantPermissions(['notifications']);
    // Record notifications instead of showing them (headless Chromium has no notification centre), and
    // pretend the window lost focus.
    await page.addInitScript(() => {
      const shown: Notification[] = [];
      class Recorded extends EventTarget {
        static permission = 'granted';
        static requestPermission = async () => 'granted';
        onclick: (() => void) | null = null;
        constructor(
          readonly title: string,
          readonly options: NotificationOptions,
        ) {
          super();
          shown.push(this as unknown as Notification);
        }
      }
      Object.assign(window, { Notification: Recorded, shown });
      document.hasFocus = () => false;
    });
    await contact(rpc, GRACE, 'Grace Hopper');
    await openApp(page, app.ready.url);
    const arrived = await customerTexts(rpc, GRACE, OURS.tollFree, 'Are we still on for Thursday?');
    // Personas may write too; this spec looks at Grace's notification.
    const grace = () =>
      page.evaluate(() =>
        (window as unknown as { shown: { title: string; options: { body: string } }[] }).shown.filter((n) => n.title === 'Grace Hopper').map((n) => `${n.title}: ${n.options.body}`),
      );
    await expect.poll(grace).toEqual(['Grace Hopper: Are we still on for Thursday?']);
    await page.evaluate(() => (window as unknown as { shown: { title: string; onclick: () => void }[] }).shown.find((n) => n.title === 'Grace Hopper')!.onclick());
    await expect(page.getByRole('heading', { name: /Grace Hopper/ })).toBeVisible();
    await expect(threadItem(page, arrived.threadId)).toHaveAttribute('aria-selected', 'true');
  });

  test('contacts import reports skipped lines and new contacts can be added', async ({ app, page, rpc }) => {
    await openApp(page, app.ready.url);
    await page.getByTestId('open-settings').click();
    await page.getByRole('button', { name: 'Contacts', exact: true }).click();
    await page.getByTestId('contacts-import').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from('number,name\n9195550101,A\n12,B\n9195551234,Ada Lovelace\n') });
    await expect(page.getByTestId('settings-feedback')).toHaveText(/^Imported 2 contacts\. Skipped: line 3: .*12/);
    await page.getByLabel('Number', { exact: true }).fill('(919) 555-0188');
    await page.getByLabel('Name', { exact: true }).fill('Mae Jemison');
    await page.getByRole('button', { name: 'Save contact' }).click();
    await expect(page.getByRole('cell', { name: 'Mae Jemison' })).toBeVisible();
    const { contacts } = await rpc.client.call('contacts.list', {});
    // The Sandbox adds its simulated customers to the contacts too.
    expect(contacts.map((c) => c.name)).toEqual(expect.arrayContaining(['A', 'Ada Lovelace', 'Mae Jemison']));
    expect(contacts.map((c) => c.name)).not.toContain('B');
  });

  test('the quick-replies and messaging settings save through settings.update', async ({ app, page, rpc }) => {
    await openApp(page, app.ready.url);
    await page.getByTestId('open-settings').click();
    await page.getByRole('button', { name: 'Quick replies' }).click();
    await page.getByLabel('Title').fill('Closing');
    await page.getByLabel('Text', { exact: true }).fill('Have a great day, {first_name}!');
    await page.getByRole('button', { name: 'Add quick reply' }).click();
    await expect(page.getByTestId('settings-feedback')).toHaveText('Saved.');
    await page.getByRole('button', { name: 'Messaging' }).click();
    const hold = page.getByRole('checkbox', { name: /Hold non-urgent/ });
    const wasOn = await hold.isChecked();
    await hold.setChecked(!wasOn);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('settings-feedback')).toHaveText('Saved.');
    const settings = await rpc.client.call('settings.get', {});
    expect(settings.quickReplies).toContainEqual(expect.objectContaining({ title: 'Closing', body: 'Have a great day, {first_name}!' }));
    expect(settings.quietHours.enabled).toBe(!wasOn);
  });
});
