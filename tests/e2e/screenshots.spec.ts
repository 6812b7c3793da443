import type { Page } from '@playwright/test';
import { join } from 'node:path';
import type { RpcConnection } from '../support/processes';
import { expect, test } from './fixtures';
import { ADA, adaAndLinus, contact, customerTexts, LINUS, OURS, photo, sendSettled, threadItem, screenshotDir } from './helpers';

/**
 * The README's pictures: the main views in light and dark, from the real app on the Sandbox, with data made the
 * real way (customers texting us, sends through the engine). The simulated personas write when they like, so
 * the list around the conversations shown differs a little from run to run.
 */
const dir = screenshotDir;
const shot = (page: Page, name: string) => page.screenshot({ path: join(dir, `${name}.png`) });

const GRACE = '+19195552001';
const ALAN = '+19195552002';
/** The Sandbox fails +1 919 555 CCCC with error CCCC: 4720 is "invalid destination". */
const UNKNOWN = '+19195554720';

async function seed(rpc: RpcConnection) {
  const names: [string, string][] = [
    [ADA, 'Ada Lovelace'],
    [LINUS, 'Linus Pauling'],
    [GRACE, 'Grace Hopper'],
    [ALAN, 'Alan Turing'],
    ['+19845550151', 'Maya Chen'],
    ['+19845550152', 'Jordan Alvarez'],
    ['+13365550153', 'Priya Patel'],
    ['+17045550154', 'Sam Okafor'],
    ['+12125550155', 'Riley Brooks'],
    ['+19195556001', 'Marie Curie'],
    ['+19195556002', 'Nikola Tesla'],
    ['+19195556003', 'Rosalind Franklin'],
  ];
  for (const [number, name] of names) await contact(rpc, number, name);
  await rpc.client.call('settings.update', {
    quickReplies: [
      { id: 'q1', title: 'Order shipped', body: 'Hi {first_name}, your order {} shipped today and should arrive by {date}.' },
      { id: 'q2', title: 'Thanks', body: 'Thanks for reaching out! Anything else I can help with?' },
      { id: 'q3', title: 'Opening hours', body: 'We are open Monday to Saturday, 9 am to 6 pm.' },
    ],
  });

  await customerTexts(rpc, '+19195556003', OURS.tollFree, 'Do you have the blue one in a size 8?');
  await sendSettled(rpc, { from: OURS.tollFree, to: ['+19195556003'], text: 'We do! Shall I hold one for you?' });
  await customerTexts(rpc, '+19195556002', OURS.local, 'Thanks, got it.');
  await customerTexts(rpc, '+19195556001', OURS.local2, 'Can I move my appointment to Friday?');
  await customerTexts(rpc, '+19195558123', OURS.local, 'What time do you close today?');

  // A group: Grace writes to us, Alan and a third number the carrier refuses; we answer all three.
  await customerTexts(rpc, GRACE, [OURS.local2, ALAN, UNKNOWN], 'Is the site visit still on for Wednesday?');
  const group = await sendSettled(rpc, { from: OURS.local2, to: [ALAN, GRACE, UNKNOWN], text: 'Team: the site visit moved to Thursday 10 am.' });
  await customerTexts(rpc, GRACE, [OURS.local2, ALAN, UNKNOWN], 'Works for me.');
  await customerTexts(rpc, ALAN, [OURS.local2, GRACE, UNKNOWN], 'Same here. Should I bring the badge?');
  await customerTexts(rpc, ALAN, [OURS.local2, GRACE, UNKNOWN], 'And the spare keys.');

  // Linus's phone is off: our answer fails, with the carrier's reason. Ada: a photo in, answers out (delivered, and one
  // scheduled for tomorrow morning).
  const { ada, linus } = await adaAndLinus(rpc);
  return { ada, group: group.threadId, failed: linus };
}

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots of the main views (${scheme})`, async ({ app, page, rpc }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const threads = await seed(rpc);
    await page.goto(app.ready.url);
    await threadItem(page, threads.ada).click();
    // The label goes out as an MMS from the composer, as an agent sends it.
    await page.getByTestId('attachment-input').setInputFiles(await photo('return-label.jpg', [22, 163, 74]));
    await expect(page.getByTestId('attachment-chip')).toHaveAttribute('data-state', 'ready');
    await page.getByTestId('composer-input').fill('Here is your return label for the damaged one.');
    await page.getByTestId('send-button').click();
    await expect(page.getByTestId('message').filter({ hasText: 'return label' })).toHaveAttribute('data-status', 'delivered', { timeout: 20_000 });
    await customerTexts(rpc, ADA, OURS.local, 'Thank you, that was quick!');
    await page.getByTestId('composer-input').fill('Thanks — we’ll call you “tomorrow”.');
    await expect(page.locator('[data-testid="message-media"] img')).toHaveCount(2);
    for (const img of await page.locator('[data-testid="message-media"] img').all()) await expect(img).toHaveJSProperty('complete', true);
    await page.mouse.move(0, 0);
    await shot(page, `conversation-${scheme}`);

    await page.getByTestId('attachment-input').setInputFiles(await photo('receipt-march.jpg', [234, 88, 12]));
    await expect(page.getByTestId('attachment-chip')).toHaveAttribute('data-state', 'ready');
    await page.getByRole('button', { name: 'Quick replies' }).click();
    await shot(page, `composer-${scheme}`);
    await page.getByRole('button', { name: 'Quick replies' }).click();
    await page.getByRole('button', { name: 'Remove receipt-march.jpg' }).click();
    await page.getByTestId('composer-input').fill('');

    await threadItem(page, threads.group).click();
    await page.locator('details.deliveries summary').click();
    await expect(page.locator('[data-testid="delivery"]')).toHaveCount(3);
    await shot(page, `group-${scheme}`);

    await threadItem(page, threads.failed).click();
    await expect(page.locator('.failure')).toBeVisible();
    await shot(page, `failed-${scheme}`);

    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').fill('appointment');
    await expect(page.getByTestId('search-result').first()).toBeVisible();
    await shot(page, `search-${scheme}`);
    await page.keyboard.press('Escape');

    await page.getByTestId('new-conversation').click();
    await page.getByTestId('recipient-input').pressSequentially('919555012');
    await shot(page, `new-conversation-${scheme}`);
    await page.keyboard.press('Escape');

    await page.getByTestId('simulate-inbound').click();
    await page.getByTestId('simulate-others').fill('(919) 555-2002');
    await page.getByTestId('simulate-images').selectOption('2');
    await shot(page, `simulate-${scheme}`);
    await page.keyboard.press('Escape');

    await page.getByTestId('open-settings').click();
    await page.getByRole('button', { name: 'Messaging', exact: true }).click();
    await shot(page, `settings-${scheme}`);

    await page.setViewportSize({ width: 900, height: 700 });
    await page.getByTestId('open-settings').click();
    await threadItem(page, threads.ada).click();
    await shot(page, `narrow-${scheme}`);

    // A phone-sized window shows one pane at a time, with a way back to the list.
    await page.setViewportSize({ width: 420, height: 760 });
    await shot(page, `phone-${scheme}`);
    await page.getByRole('button', { name: 'Back to the conversations' }).click();
    await expect(page.getByTestId('thread-list')).toBeVisible();
  });
}

test('screenshot of the first start on the real Sandbox', async ({ app, page }) => {
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.goto(app.ready.url);
  await expect(page.getByTestId('account-mode')).toHaveText('Sandbox');
  await shot(page, 'first-start-light');
});
