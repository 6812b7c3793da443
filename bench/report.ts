import { writeFileSync } from 'node:fs';

/** One benchmark figure beside its target and the ceiling of the part underneath, measured in the same run. */
export interface Row {
  id: string;
  target: string;
  measured: number;
  unit: string;
  /** The target: a maximum when lower is better, a minimum when higher is better. */
  limit: number;
  better: 'lower' | 'higher';
  ceiling: number | null;
  ceilingLabel: string;
}

export const passes = (row: Row) => (row.better === 'lower' ? row.measured <= row.limit : row.measured >= row.limit);

/** measured ÷ ceiling: for times, how many times the raw part's cost; for rates, the share of the raw part's rate. */
const ratio = (row: Row) => (row.ceiling ? (row.measured / row.ceiling).toFixed(2) : '');

export function printTable(rows: Row[]): string {
  const head = ['target', 'measured', 'goal', 'ceiling (raw part)', 'ratio', ''];
  const body = rows.map((r) => [
    r.target,
    `${r.measured} ${r.unit}`.trim(),
    `${r.better === 'lower' ? '≤' : '≥'} ${r.limit} ${r.unit}`.trim(),
    r.ceiling === null ? '' : `${r.ceiling} ${r.ceilingLabel}`.trim(),
    ratio(r),
    passes(r) ? 'pass' : 'MISS',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

export function writeResults(path: string, rows: Row[], meta: Record<string, unknown>): void {
  const results = rows.map((r) => ({ ...r, ratio: r.ceiling ? r.measured / r.ceiling : null, pass: passes(r) }));
  writeFileSync(path, `${JSON.stringify({ ...meta, results }, null, 2)}\n`);
}
