#!/usr/bin/env node
/**
 * Security gate: runs Electronegativity (Electron's security scanner) over the project and fails when it finds
 * anything above informational that is not waived in scripts/security-waivers.json (each waiver says why).
 *
 *   node scripts/security-gate.mjs            scan, print findings, exit 1 on any unwaived finding
 *   node scripts/security-gate.mjs --sarif F  judge an existing SARIF report instead of scanning (used by tests)
 *
 * Electronegativity always exits 0, so the verdict comes from its SARIF report. It is fetched by npx, never a
 * devDependency (it pulls in hundreds of packages), and works offline apart from ~10-20 s of network time-outs
 * while it looks for translations and Electron releases (TOOLCHAIN.md pitfall 9). About 30 s here in all.
 * Build output (out/, dist/) is not judged: it repeats the sources the scanner already reports.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ELECTRONEGATIVITY = '@doyensec/electronegativity@1.10.3';
const root = fileURLToPath(new URL('..', import.meta.url));
const IGNORED_DIRS = ['out/', 'dist/', '.tmp/', 'node_modules/'];

/** Findings from a SARIF report: rule, level, file (relative, '' for global checks), line, message. */
export function findingsFromSarif(sarif) {
  return sarif.runs.flatMap((run) =>
    run.results.map((result) => {
      const location = result.locations?.[0]?.physicalLocation;
      const uri = location?.artifactLocation?.uri ?? '';
      return {
        rule: result.ruleId,
        level: result.level ?? 'warning',
        file: uri.startsWith('file:') ? '' : uri.replace(/^\.\//, ''),
        line: location?.region?.startLine ?? 0,
        message: result.message?.text ?? '',
      };
    }),
  );
}

/** Splits findings into those that fail the gate and those waived; `note` is informational and never fails. */
export function judge(findings, waivers) {
  const judged = findings.filter((f) => f.level !== 'note' && !IGNORED_DIRS.some((dir) => f.file.startsWith(dir)));
  const waiverFor = (f) => waivers.find((w) => w.rule === f.rule && (w.file === undefined || f.file.startsWith(w.file)));
  const used = new Set();
  const failing = [];
  const waived = [];
  for (const finding of judged) {
    const waiver = waiverFor(finding);
    if (waiver) {
      used.add(waiver);
      waived.push({ finding, waiver });
    } else failing.push(finding);
  }
  return { failing, waived, unusedWaivers: waivers.filter((w) => !used.has(w)) };
}

export function loadWaivers(file) {
  const { waivers } = JSON.parse(readFileSync(file, 'utf8'));
  for (const w of waivers) if (typeof w.rule !== 'string' || typeof w.reason !== 'string' || w.reason.trim() === '') throw new Error(`${file}: every waiver needs a rule and a reason`);
  return waivers;
}

function scan() {
  const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  const report = join(dir, 'report.sarif');
  try {
    const run = spawnSync('npx', ['-y', '-p', ELECTRONEGATIVITY, 'electronegativity', '-i', root, '-e', '45.5.0', '-r', '-v', 'false', '-o', report], {
      cwd: root,
      encoding: 'utf8',
    });
    try {
      return JSON.parse(readFileSync(report, 'utf8'));
    } catch {
      throw new Error(`electronegativity wrote no report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const at = process.argv.indexOf('--sarif');
  const sarif = at > 0 ? JSON.parse(readFileSync(process.argv[at + 1], 'utf8')) : scan();
  const { failing, waived, unusedWaivers } = judge(findingsFromSarif(sarif), loadWaivers(join(root, 'scripts', 'security-waivers.json')));
  for (const { finding } of waived) console.log(`waived  ${finding.rule} ${finding.file || '(global)'}:${finding.line}`);
  for (const w of unusedWaivers) console.log(`note    waiver for ${w.rule} ${w.file ?? ''} matched nothing; remove it if the finding is gone`);
  for (const f of failing) console.log(`FINDING ${f.level} ${f.rule} ${f.file || '(global)'}:${f.line} ${f.message}`);
  console.log(failing.length === 0 ? `security gate passed (${waived.length} waived)` : `security gate failed: ${failing.length} finding(s) above informational`);
  process.exitCode = failing.length === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
