#!/usr/bin/env node
// `npm test`: typecheck, lint, the Electron security gate, unit + integration (Vitest), end-to-end (Playwright in
// Debian's chromium).
// Ends with one line `N passed, N failed` counted from the runners' JSON reports (and failed steps).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;

function step(name, command, args) {
  process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return result.status === 0;
}

function countStep(name, ok) {
  if (ok) passed++;
  else {
    failed++;
    process.stdout.write(`!!! ${name} failed\n`);
  }
}

function readJson(path) {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

countStep('typecheck', step('typecheck', 'npx', ['tsc', '-b']));
countStep('lint', step('lint', 'npx', ['eslint', '.', '--max-warnings', '0']));
countStep('security gate', step('security gate (electronegativity)', 'node', ['scripts/security-gate.mjs']));

rmSync('test-results/vitest.json', { force: true });
const vitestOk = step('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']);
const vitest = readJson('test-results/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + vitest.numTodoTests;
  // A file that fails to load has no failed test but fails the run.
  if (!vitestOk && vitest.numFailedTests === 0) failed++;
} else if (!vitestOk) failed++;

rmSync('test-results/playwright.json', { force: true });
const playwrightOk = step('playwright', 'npx', ['playwright', 'test']);
const playwright = readJson('test-results/playwright.json');
if (playwright?.stats) {
  passed += playwright.stats.expected + playwright.stats.flaky;
  failed += playwright.stats.unexpected;
  skipped += playwright.stats.skipped;
  if (!playwrightOk && playwright.stats.unexpected === 0) failed++;
} else if (!playwrightOk) failed++;

process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed === 0 ? 0 : 1);
