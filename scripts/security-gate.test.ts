import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findingsFromSarif, judge, loadWaivers } from './security-gate.mjs';

const dir = mkdtempSync(join(tmpdir(), 'sb-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A SARIF report shaped like Electronegativity's. */
const sarif = (results: { rule: string; level: string; uri: string; line?: number }[]) => ({
  runs: [
    {
      results: results.map((r) => ({
        ruleId: r.rule,
        level: r.level,
        message: { text: `${r.rule} found` },
        locations: [{ physicalLocation: { artifactLocation: { uri: r.uri }, region: { startLine: r.line ?? 1 } } }],
      })),
    },
  ],
});

describe('findingsFromSarif', () => {
  it('reads rule, level, relative file and line; global checks have no file', () => {
    expect(findingsFromSarif(sarif([{ rule: 'A', level: 'warning', uri: 'electron/x.ts', line: 4 }, { rule: 'CSP', level: 'warning', uri: 'file:///' }]))).toEqual([
      { rule: 'A', level: 'warning', file: 'electron/x.ts', line: 4, message: 'A found' },
      { rule: 'CSP', level: 'warning', file: '', line: 1, message: 'CSP found' },
    ]);
  });
});

describe('judge', () => {
  const findings = findingsFromSarif(
    sarif([
      { rule: 'SANDBOX_JS_CHECK', level: 'warning', uri: 'electron/main/shell/startShell.ts' },
      { rule: 'SANDBOX_JS_CHECK', level: 'error', uri: 'electron/main/other.ts' },
      { rule: 'OPEN_EXTERNAL_JS_CHECK', level: 'note', uri: 'electron/main/shell/menu.ts' },
      { rule: 'SANDBOX_JS_CHECK', level: 'warning', uri: 'out/main/index.js' },
    ]),
  );
  it('fails on unwaived findings above informational, waiving by rule and file', () => {
    const waiver = { rule: 'SANDBOX_JS_CHECK', file: 'electron/main/shell/', reason: 'options from a function' };
    const stale = { rule: 'GONE', reason: 'fixed long ago' };
    const verdict = judge(findings, [waiver, stale]);
    expect(verdict.failing.map((f) => f.file)).toEqual(['electron/main/other.ts']);
    expect(verdict.waived.map((w) => w.finding.file)).toEqual(['electron/main/shell/startShell.ts']);
    expect(verdict.unusedWaivers).toEqual([stale]);
  });
  it('passes when everything above informational is waived', () => {
    expect(judge(findings, [{ rule: 'SANDBOX_JS_CHECK', reason: 'all of them' }]).failing).toEqual([]);
  });
});

describe('loadWaivers', () => {
  it("reads the project's waiver file, each with a reason", () => {
    const waivers = loadWaivers(fileURLToPath(new URL('./security-waivers.json', import.meta.url)));
    expect(waivers.length).toBeGreaterThan(0);
    for (const w of waivers) expect(w.reason.length).toBeGreaterThan(20);
  });
  it('refuses a waiver without a reason', () => {
    const file = join(dir, 'waivers.json');
    writeFileSync(file, JSON.stringify({ waivers: [{ rule: 'X', reason: ' ' }] }));
    expect(() => loadWaivers(file)).toThrow(/reason/);
  });
});

describe('security-gate.mjs --sarif', () => {
  const run = (report: unknown) => {
    const file = join(dir, `report-${Math.random()}.sarif`);
    writeFileSync(file, JSON.stringify(report));
    return spawnSync(process.execPath, [fileURLToPath(new URL('./security-gate.mjs', import.meta.url)), '--sarif', file], { encoding: 'utf8' });
  };
  it('exits 1 and names an unwaived finding', () => {
    const result = run(sarif([{ rule: 'NODE_INTEGRATION_JS_CHECK', level: 'error', uri: 'electron/main/evil.ts', line: 9 }]));
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('FINDING error NODE_INTEGRATION_JS_CHECK electron/main/evil.ts:9');
  });
  it('exits 0 when only informational or waived findings remain', () => {
    const result = run(sarif([{ rule: 'CSP_GLOBAL_CHECK', level: 'warning', uri: 'file:///' }, { rule: 'X', level: 'note', uri: 'a.ts' }]));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('security gate passed (1 waived)');
  });
});
