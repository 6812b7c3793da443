import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { installScriptedEngine, type ScriptedEngine } from './scriptedEngine';

/**
 * The window's behaviour on the real wire format with a scripted engine behind /rpc (see scriptedEngine.ts), so
 * every UI rule is covered whatever the engine has landed. engine.spec.ts runs the same flows against the core.
 */
let engine: ScriptedEngine;

async function open(page: Page, url: string, threadId?: string) {
  engine = await installScriptedEngine(page);
  await page.goto(url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  if (threadId) {
    await page.locator(`[data-testid="thread-item"][data-thread-id="${threadId}"]`).click();
    await expect(page.getByTestId('message').first()).toBeVisible();
  }
}

test.describe('thread list', () => {
  test('shows newest first with unread counts, previews, our number, and the unread total in the title', async ({ app, page }) => {
    await open(page, app.ready.url);
    const items = page.getByTestId('thread-item');
    await expect(items.first()).toHaveAttribute('data-thread-id', 't-ada');
    await expect(items.first().getByTestId('unread-count')).toHaveText('2');
    await expect(items.first()).toContainText('via (919) 555-0100');
    await expect(page).toHaveTitle('(8) Switchboard');
    await items.first().click();
    await expect(items.first().getByTestId('unread-count')).toHaveCount(0);
    await expect(page).toHaveTitle('(6) Switchboard');
    // A message arriving elsewhere moves its thread to the top.
    engine.receive('t-3', 'Is the store open on Sunday?');
    await expect(items.first()).toHaveAttribute('data-thread-id', 't-3');
    await expect(items.first()).toContainText('Is the store open on Sunday?');
  });

  test('filters by view and by our number from the rail', async ({ app, page }) => {
    await open(page, app.ready.url);
    await page.getByTestId('view-failed').click();
    await expect(page.getByTestId('thread-item')).toHaveCount(1);
    await expect(page.getByTestId('thread-item')).toHaveAttribute('data-thread-id', 't-failed');
    await page.getByTestId('view-opted-out').click();
    await expect(page.getByTestId('thread-item')).toHaveAttribute('data-thread-id', 't-opt');
    await page.getByTestId('view-all').click();
    await page.getByRole('button', { name: 'Only (888) 555-0123' }).click();
    await expect(page.getByTestId('thread-item').first()).toContainText('via (888) 555-0123');
    await expect(page.getByText('via (919) 555-0100')).toHaveCount(0);
  });

  test('is virtualised and keyboard-navigable', async ({ app, page }) => {
    await open(page, app.ready.url);
    // 44 threads, but only the rows in view (and a few more) are in the DOM.
    const rendered = await page.getByTestId('thread-item').count();
    expect(rendered).toBeLessThan(30);
    await page.getByTestId('thread-list').focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('thread-item').first()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('[data-thread-id="t-group"]')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('heading', { name: /Grace Hopper/ })).toBeVisible();
    await page.keyboard.press('End');
    await expect(page.locator('[aria-selected="true"]')).toBeVisible();
  });

  test('a new conversation validates and formats numbers as typed and picks the sender', async ({ app, page }) => {
    await open(page, app.ready.url);
    await page.keyboard.press('Control+n');
    const input = page.getByTestId('recipient-input');
    await input.pressSequentially('9195550');
    await expect(input).toHaveValue('(919) 555-0');
    await input.pressSequentially('199,');
    await expect(page.locator('.recipient-chip')).toHaveText(['(919) 555-0199']);
    await input.fill('12');
    await page.getByTestId('sender-select').selectOption('+18885550123');
    await page.getByTestId('start-conversation').click();
    await expect(page.getByTestId('recipient-feedback')).toHaveText(/^"1 ?2" is not a valid phone number\.$/);
    await input.fill('919 555 0142');
    await page.getByTestId('start-conversation').click();
    await expect(page.getByRole('heading', { name: '(919) 555-0199, (919) 555-0142' })).toBeVisible();
    await expect(page.getByText('from (888) 555-0123')).toBeVisible();
  });
});

test.describe('conversation', () => {
  test('groups by day and sender, names senders in groups, and shows per-recipient status', async ({ app, page }) => {
    await open(page, app.ready.url, 't-group');
    await expect(page.getByRole('separator').filter({ hasText: 'Today' })).toBeVisible();
    await expect(page.locator('.sender')).toHaveText(['Grace Hopper', 'Alan Turing']);
    const sent = page.getByTestId('message').first();
    await expect(sent.getByTestId('message-status')).toHaveAttribute('title', 'Delivered to 2 of 3; 1 failed');
    await sent.getByText('2 of 3 delivered, 1 failed').click();
    await expect(sent.locator('[data-testid="delivery"][data-status="failed"]')).toContainText('(919) 555-2003');
    await expect(sent.locator('[data-testid="delivery"][data-status="delivered"]')).toHaveCount(2);
  });

  test('ticks are honest about what delivered means', async ({ app, page }) => {
    await open(page, app.ready.url, 't-ada');
    const pdf = page.getByTestId('message').filter({ hasText: 'Of course' });
    await expect(pdf.getByTestId('message-status')).toHaveAttribute('title', /Handed to the carrier.*does not prove/);
    await expect(page.getByTestId('message').filter({ hasText: 'Anything else' }).getByTestId('message-status')).toHaveAttribute('title', /waiting for a delivery receipt/);
    await expect(page.getByTestId('message').filter({ hasText: 'open until 6' }).getByTestId('message-status')).toHaveAttribute('title', 'Waiting in the send queue');
  });

  test('shows the newest messages first and loads older pages on scroll without jumping', async ({ app, page }) => {
    await open(page, app.ready.url, 't-ada');
    const log = page.getByRole('log');
    await expect(page.getByTestId('message').filter({ hasText: 'open until 6' })).toBeInViewport();
    await expect(page.getByText('Beginning of the conversation')).toHaveCount(0);
    // The first message of the newest page; the scripted engine takes a moment over older pages.
    const anchor = page.getByTestId('message').filter({ hasText: 'Earlier question number 27 ' });
    await log.evaluate((el) => (el.scrollTop = 0));
    await expect(page.getByText('Loading older messages…')).toBeVisible();
    const before = (await anchor.boundingBox())!.y;
    // The older page arrived above; the message the reader was looking at stayed where it was.
    await expect(page.getByText('Beginning of the conversation')).toBeAttached();
    await expect(page.getByText('Loading older messages…')).toHaveCount(0);
    const after = (await anchor.boundingBox())!.y;
    expect(Math.abs(after - before)).toBeLessThan(4);
  });

  test('inbound media shows inline and images open in a viewer', async ({ app, page }) => {
    await open(page, app.ready.url, 't-ada');
    const image = page.getByTestId('message').filter({ hasText: 'photo of the box' }).getByTestId('message-media');
    await expect(image.locator('img')).toHaveJSProperty('naturalWidth', 480);
    await image.click();
    await expect(page.getByRole('dialog', { name: 'box.jpg' }).locator('img')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('message').filter({ hasText: 'Of course' }).getByTestId('message-media')).toContainText('invoice-4471.pdf');
  });
});

test.describe('composer', () => {
  test('Enter sends, Shift+Enter adds a line, and the message reaches delivered', async ({ app, page }) => {
    await open(page, app.ready.url, 't-failed');
    const input = page.getByTestId('composer-input');
    await input.pressSequentially('Line one');
    await input.press('Shift+Enter');
    await input.pressSequentially('Line two');
    await expect(input).toHaveValue('Line one\nLine two');
    await input.press('Enter');
    await expect(input).toHaveValue('');
    const sent = page.getByTestId('message').filter({ hasText: 'Line two' });
    await expect(sent).toHaveAttribute('data-status', 'delivered');
    await expect(sent.getByTestId('message-status')).toHaveAttribute('title', 'Delivered to the phone');
  });

  test('a failed send explains itself in plain words and Retry re-sends', async ({ app, page }) => {
    await open(page, app.ready.url, 't-failed');
    await page.getByTestId('composer-input').fill('this will fail');
    await page.getByTestId('send-button').click();
    const failed = page.getByTestId('message').filter({ hasText: 'this will fail' });
    await expect(failed).toHaveAttribute('data-status', 'failed');
    await expect(failed.locator('.failure')).toContainText("The recipient's phone is unavailable");
    await expect(failed.locator('.failure')).toContainText('Error 4702');
    await failed.getByRole('button', { name: 'Retry' }).click();
    await expect(failed).toHaveAttribute('data-status', 'delivered');
  });

  test('counts segments, highlights the characters that force UCS-2, fixes them in one click, and enforces 2048', async ({ app, page }) => {
    await open(page, app.ready.url, 't-failed');
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

  test('keeps a draft per thread across navigation and reloads', async ({ app, page }) => {
    await open(page, app.ready.url, 't-failed');
    await page.getByTestId('composer-input').fill('draft for Linus');
    await page.locator('[data-thread-id="t-group"]').click();
    await expect(page.getByTestId('composer-input')).toHaveValue('');
    await page.getByTestId('composer-input').fill('draft for the group');
    await page.reload();
    await page.locator('[data-thread-id="t-failed"]').click();
    await expect(page.getByTestId('composer-input')).toHaveValue('draft for Linus');
    await page.locator('[data-thread-id="t-group"]').click();
    await expect(page.getByTestId('composer-input')).toHaveValue('draft for the group');
  });

  test('quick replies fill variables and make the agent fill blanks', async ({ app, page }) => {
    await open(page, app.ready.url, 't-ada');
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

  test('send later schedules the message', async ({ app, page }) => {
    await open(page, app.ready.url, 't-failed');
    await page.getByTestId('composer-input').fill('see you tomorrow');
    await page.getByRole('button', { name: 'Send later' }).click();
    await page.getByTestId('send-at').fill('2099-01-02T09:30');
    await page.getByTestId('send-at-confirm').click();
    await expect(page.getByText(/Will send/)).toBeVisible();
    await page.getByTestId('send-button').click();
    const scheduled = page.getByTestId('message').filter({ hasText: 'see you tomorrow' });
    await expect(scheduled).toHaveAttribute('data-status', 'scheduled');
    await expect(scheduled.getByTestId('message-status')).toHaveAttribute('title', /Scheduled for/);
  });

  test('a recipient who opted out blocks the composer, also when the refusal comes from the engine', async ({ app, page }) => {
    await open(page, app.ready.url);
    await page.getByTestId('view-opted-out').click();
    await page.locator('[data-thread-id="t-opt"]').click();
    await expect(page.getByTestId('opted-out-block')).toContainText('opted out');
    await expect(page.getByTestId('composer-input')).toHaveCount(0);
    // The customer texts STOP while the agent has the thread open: the engine refuses the next send.
    await page.getByTestId('view-all').click();
    await page.locator('[data-thread-id="t-failed"]').click();
    engine.threads.find((t) => t.id === 't-failed')!.optedOut = true;
    await page.getByTestId('composer-input').fill('one more thing');
    await page.getByTestId('send-button').click();
    await expect(page.getByTestId('opted-out-block')).toContainText('reply START');
  });
});

test.describe('MMS', () => {
  test('drag-and-drop an image: visible drop target, chip with thumbnail, progress, then an MMS with a preview', async ({ app, page }) => {
    await open(page, app.ready.url, 't-failed');
    const zone = page.getByTestId('attachment-dropzone');
    const data = await page.evaluateHandle(async () => {
      const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 64 });
      canvas.getContext('2d')!.fillRect(0, 0, 64, 64);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      const dt = new DataTransfer();
      dt.items.add(new File([blob], 'receipt.png', { type: 'image/png' }));
      return dt;
    });
    await zone.dispatchEvent('dragenter', { dataTransfer: data });
    await expect(page.getByText('Drop files to attach them')).toBeVisible();
    await zone.dispatchEvent('drop', { dataTransfer: data });
    await expect(page.getByText('Drop files to attach them')).toHaveCount(0);
    const chip = page.getByTestId('attachment-chip');
    await expect(chip).toHaveAttribute('data-state', 'ready');
    await expect(chip).toContainText('receipt.png');
    await expect(chip.locator('img')).toBeVisible();
    await page.getByTestId('send-button').click();
    await expect(chip).toHaveCount(0);
    const sent = page.getByTestId('message').last();
    await expect(sent.getByTestId('message-media').locator('img')).toBeVisible();
    await expect(sent).toHaveAttribute('data-status', 'delivered');
  });

  test('the picker attaches files and a refused file is named in the error; chips can be removed', async ({ app, page }) => {
    await open(page, app.ready.url, 't-failed');
    await page.getByTestId('attachment-input').setInputFiles([
      { name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
    ]);
    const bad = page.getByTestId('attachment-chip').filter({ hasText: 'setup.exe' });
    await expect(bad).toHaveAttribute('data-state', 'failed');
    await expect(bad).toContainText('setup.exe: this type of file cannot be sent by MMS');
    await bad.getByRole('button', { name: 'Remove setup.exe' }).click();
    await expect(page.getByTestId('attachment-chip')).toHaveCount(1);
  });
});

test('pasting an image from the clipboard attaches it', async ({ app, page }) => {
  await open(page, app.ready.url, 't-failed');
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

test.describe('search', () => {
  test('Ctrl+K finds as you type with highlighted snippets, arrows move, Enter jumps to the message and highlights it', async ({ app, page }) => {
    await open(page, app.ready.url, 't-failed');
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').pressSequentially('question number 1');
    const results = page.getByTestId('search-result');
    await expect(results.first()).toBeVisible();
    await expect(results.first().locator('mark')).toHaveText('question number 1');
    await page.keyboard.press('ArrowDown');
    await expect(results.nth(1)).toHaveAttribute('aria-selected', 'true');
    const target = await results.nth(1).getAttribute('data-message-id');
    await page.keyboard.press('Enter');
    const message = page.locator(`[data-testid="message"][data-message-id="${target}"]`);
    await expect(message).toBeInViewport();
    await expect(message).toHaveClass(/highlighted/);
    await expect(page.getByRole('heading', { name: 'Ada Lovelace' })).toBeVisible();
  });

  test('filters narrow the results', async ({ app, page }) => {
    await open(page, app.ready.url);
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').fill('earlier');
    await expect(page.getByTestId('search-result').first()).toBeVisible();
    await page.getByLabel('Direction').selectOption('out');
    await expect(page.getByTestId('search-result').first()).toContainText('Earlier answer');
    await expect(page.getByTestId('search-result').filter({ hasText: 'question' })).toHaveCount(0);
  });
});

test.describe('settings and chrome', () => {
  test('credentials are write-only with validation feedback; tunnel URL can be copied; theme switches', async ({ app, page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await open(page, app.ready.url);
    await page.getByTestId('open-settings').click();
    await expect(page.getByTestId('settings')).toBeVisible();
    await page.getByText('Live', { exact: true }).click();
    await page.getByTestId('account-id').fill('9900000');
    await page.getByLabel('Messaging application id').fill('93de2206');
    await page.getByLabel('Client id').fill('client-1');
    await page.getByTestId('credential-secret').fill('wrong');
    await page.getByTestId('credentials-save').click();
    await expect(page.getByTestId('settings-feedback')).toContainText('Bandwidth refused these credentials');
    await expect(page.getByTestId('credential-secret')).toHaveValue('');
    await page.getByTestId('credential-secret').fill('right');
    await page.getByTestId('credentials-save').click();
    await expect(page.getByTestId('settings-feedback')).toHaveText('Credentials checked and saved.');
    await expect(page.getByTestId('credentials-status')).toContainText('Live account 9900000');

    await page.getByRole('button', { name: 'Callbacks and tunnel' }).click();
    await expect(page.getByTestId('public-url')).toHaveText('https://switchboard-7f3a.loca.lt');
    await page.getByTestId('copy-public-url').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('https://switchboard-7f3a.loca.lt');
    await expect(page.getByTestId('tunnel-status')).toHaveText('Tunnel online');

    await page.getByRole('button', { name: 'Appearance' }).click();
    await page.getByText('Dark', { exact: true }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  });

  test('status bar shows queue depth and estimate; Ctrl+/ opens the shortcut guide', async ({ app, page }) => {
    await open(page, app.ready.url);
    await expect(page.getByTestId('queue-status')).toContainText(/1 queued, all sent (now|in \d s) · 2 scheduled/);
    await page.keyboard.press('Control+/');
    await expect(page.getByTestId('shortcut-guide')).toContainText('Search all messages');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcut-guide')).toHaveCount(0);
  });

  test('an inbound message while the window is in the background notifies, and the notification opens the thread', async ({ app, page, context }) => {
    await context.grantPermissions(['notifications']);
    // Record notifications instead of showing them, and pretend the window lost focus.
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
    await open(page, app.ready.url);
    engine.receive('t-group', 'Are we still on for Thursday?');
    await expect.poll(() => page.evaluate(() => (window as unknown as { shown: { title: string; options: { body: string } }[] }).shown.map((n) => `${n.title}: ${n.options.body}`))).toEqual([
      'Grace Hopper: Are we still on for Thursday?',
    ]);
    await page.evaluate(() => (window as unknown as { shown: { onclick: () => void }[] }).shown[0]!.onclick());
    await expect(page.getByRole('heading', { name: /Grace Hopper/ })).toBeVisible();
  });

  test('contacts import reports skipped lines and new contacts can be added', async ({ app, page }) => {
    await open(page, app.ready.url);
    await page.getByTestId('open-settings').click();
    await page.getByRole('button', { name: 'Contacts', exact: true }).click();
    await page.getByTestId('contacts-import').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from('number,name\n9195550101,A\n12,B\n') });
    await expect(page.getByTestId('settings-feedback')).toHaveText('Imported 2 contacts. Skipped: line 3: "12" is not a valid phone number');
    await page.getByLabel('Number', { exact: true }).fill('(919) 555-0188');
    await page.getByLabel('Name', { exact: true }).fill('Mae Jemison');
    await page.getByRole('button', { name: 'Save contact' }).click();
    await expect(page.getByRole('cell', { name: 'Mae Jemison' })).toBeVisible();
  });

  test('the quick-replies and messaging settings save through settings.update', async ({ app, page }) => {
    await open(page, app.ready.url);
    await page.getByTestId('open-settings').click();
    await page.getByRole('button', { name: 'Quick replies' }).click();
    await page.getByLabel('Title').fill('Closing');
    await page.getByLabel('Text', { exact: true }).fill('Have a great day, {first_name}!');
    await page.getByRole('button', { name: 'Add quick reply' }).click();
    await expect(page.getByTestId('settings-feedback')).toHaveText('Saved.');
    await page.getByRole('button', { name: 'Messaging' }).click();
    await page.getByRole('checkbox', { name: /Hold non-urgent/ }).uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('settings-feedback')).toHaveText('Saved.');
  });
});
