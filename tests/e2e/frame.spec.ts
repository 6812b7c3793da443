import { expect, test } from './fixtures';

test('browser mode shows the app frame fed by a live account.status call', async ({ app, page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));

  const response = await page.goto(app.ready.url);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

  await expect(page.getByTestId('thread-list')).toBeVisible();
  await expect(page.getByRole('main', { name: 'Conversation' })).toBeVisible();
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  // Only a real RPC round trip can put the account mode and version on screen.
  await expect(page.getByTestId('account-mode')).toHaveText('Sandbox');
  await expect(page.getByTestId('queue-status')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the page reconnects after the host restarts', async ({ app, page }) => {
  await page.goto(app.ready.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  const ready = await app.restart();
  await expect(page.getByTestId('connection-status')).toHaveText(/Disconnected|Connecting/);
  // A new run has a new token: the page must be opened with the new URL.
  await page.goto(ready.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
});
