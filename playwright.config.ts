import { defineConfig } from '@playwright/test';

// Debian's chromium: Playwright's own browser download does not work on our machines (TOOLCHAIN.md).
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

export default defineConfig({
  globalSetup: './tests/e2e/globalSetup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    },
  },
  projects: [
    { name: 'browser', testDir: './tests/e2e' },
    // *.spec.ts only: tests/electron also holds Vitest tests (*.test.ts) of the packaging config.
    { name: 'electron', testDir: './tests/electron', testMatch: '**/*.spec.ts' },
  ],
});
