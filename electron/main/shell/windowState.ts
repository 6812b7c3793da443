import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/** The main window's size and position, remembered across restarts in the data folder. */
const windowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(100).max(100_000),
  height: z.number().int().min(100).max(100_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowState>;
export type Rect = { x: number; y: number; width: number; height: number };

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1200, height: 800, maximized: false };

/** The saved state, or the default when there is none or it does not parse (a damaged file is not an error). */
export function loadWindowState(file: string): WindowState {
  try {
    const parsed = windowState.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : DEFAULT_WINDOW_STATE;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

/** Written whole to a temporary file and renamed, so a crash mid-write never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

const MIN_VISIBLE = 64;

/**
 * Makes a saved state fit the displays there are now: a window whose title bar would be off every screen (a
 * monitor was unplugged) is re-centred, and one larger than the biggest screen is shrunk to it.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  if (workAreas.length === 0) return state;
  const widest = Math.max(...workAreas.map((a) => a.width));
  const tallest = Math.max(...workAreas.map((a) => a.height));
  const fitted = { ...state, width: Math.min(state.width, widest), height: Math.min(state.height, tallest) };
  if (state.x === undefined || state.y === undefined) return fitted;
  const { x, y } = state;
  const titleBarVisible = workAreas.some(
    (a) => x + fitted.width - MIN_VISIBLE >= a.x && x + MIN_VISIBLE <= a.x + a.width && y >= a.y && y + MIN_VISIBLE <= a.y + a.height,
  );
  if (titleBarVisible) return fitted;
  const { x: _x, y: _y, ...centred } = fitted;
  return centred;
}
