import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, fitToDisplays, loadWindowState, saveWindowState } from './windowState';

const dir = mkdtempSync(join(tmpdir(), 'sb-window-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('window state file', () => {
  it('round-trips and leaves no temporary file', () => {
    const file = join(dir, 'window-state.json');
    const state = { x: 10, y: 20, width: 1000, height: 700, maximized: true };
    saveWindowState(file, state);
    expect(loadWindowState(file)).toEqual(state);
    expect(readdirSync(dir)).toEqual(['window-state.json']);
  });
  it('falls back to the default when missing, damaged or wrong', () => {
    expect(loadWindowState(join(dir, 'missing.json'))).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(join(dir, 'bad.json'), '{"width": 10');
    expect(loadWindowState(join(dir, 'bad.json'))).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(join(dir, 'wrong.json'), '{"width": 5, "height": "x", "maximized": false}');
    expect(loadWindowState(join(dir, 'wrong.json'))).toEqual(DEFAULT_WINDOW_STATE);
  });
});

describe('fitToDisplays', () => {
  const laptop = { x: 0, y: 0, width: 1440, height: 870 };
  const external = { x: 1440, y: 0, width: 2560, height: 1400 };

  it('keeps a window that is on a screen', () => {
    const state = { x: 1600, y: 100, width: 1200, height: 800, maximized: false };
    expect(fitToDisplays(state, [laptop, external])).toEqual(state);
  });
  it('re-centres a window left on an unplugged screen, and shrinks it to fit', () => {
    const state = { x: 1600, y: 100, width: 2400, height: 1300, maximized: false };
    expect(fitToDisplays(state, [laptop])).toEqual({ width: 1440, height: 870, maximized: false });
  });
  it('re-centres a window whose title bar is above the screen', () => {
    expect(fitToDisplays({ x: 100, y: -500, width: 800, height: 600, maximized: false }, [laptop])).toEqual({ width: 800, height: 600, maximized: false });
  });
  it('leaves an unpositioned state alone and copes with no display information', () => {
    expect(fitToDisplays(DEFAULT_WINDOW_STATE, [external])).toEqual(DEFAULT_WINDOW_STATE);
    const state = { x: 5000, y: 5000, width: 800, height: 600, maximized: false };
    expect(fitToDisplays(state, [])).toEqual(state);
  });
});
