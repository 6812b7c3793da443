/** Types for scripts/security-gate.mjs (a plain Node script, so CI can run it without a build step). */
export interface Finding {
  rule: string;
  level: string;
  file: string;
  line: number;
  message: string;
}
export interface Waiver {
  rule: string;
  file?: string;
  reason: string;
}
export function findingsFromSarif(sarif: unknown): Finding[];
export function judge(findings: Finding[], waivers: Waiver[]): { failing: Finding[]; waived: { finding: Finding; waiver: Waiver }[]; unusedWaivers: Waiver[] };
export function loadWaivers(file: string): Waiver[];
