import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, MIN_SIZE, parseSavedWindowState, placeWindow, readWindowState, writeWindowState, type Rect } from '../../electron/main/window-state';
import { tempDir } from '../helpers/services';

// Window bounds are remembered in a small JSON file; whatever is in it, the window must open
// on a display the user has now, at a size that fits it.

const LAPTOP: Rect = { x: 0, y: 0, width: 1440, height: 875 };
const EXTERNAL_LEFT: Rect = { x: -2560, y: 0, width: 2560, height: 1415 };

describe('parseSavedWindowState', () => {
  it('accepts what writeWindowState writes', () => {
    expect(parseSavedWindowState({ bounds: { x: -2000, y: 40, width: 1200, height: 800 }, maximized: true })).toEqual({ bounds: { x: -2000, y: 40, width: 1200, height: 800 }, maximized: true });
  });

  it.each([
    ['null', null],
    ['an array', [1, 2, 3, 4]],
    ['a string', '{"bounds":{}}'],
    ['no bounds', { maximized: true }],
    ['bounds null', { bounds: null }],
    ['fractional', { bounds: { x: 0.5, y: 0, width: 1000, height: 700 } }],
    ['NaN', { bounds: { x: Number.NaN, y: 0, width: 1000, height: 700 } }],
    ['Infinity', { bounds: { x: 0, y: 0, width: Number.POSITIVE_INFINITY, height: 700 } }],
    ['strings', { bounds: { x: '0', y: '0', width: '1000', height: '700' } }],
    ['zero size', { bounds: { x: 0, y: 0, width: 0, height: 700 } }],
    ['negative size', { bounds: { x: 0, y: 0, width: -10, height: 700 } }],
    ['absurd coordinates', { bounds: { x: 1e9, y: 0, width: 1000, height: 700 } }],
  ])('refuses %s', (_label, raw) => {
    expect(parseSavedWindowState(raw)).toBeNull();
  });

  it('treats anything but true as not maximized', () => {
    expect(parseSavedWindowState({ bounds: { x: 0, y: 0, width: 1000, height: 700 }, maximized: 'yes' })?.maximized).toBe(false);
  });
});

describe('placeWindow', () => {
  it('keeps a saved position that is on a current display', () => {
    expect(placeWindow({ bounds: { x: 100, y: 50, width: 1200, height: 800 }, maximized: false }, [LAPTOP])).toEqual({ x: 100, y: 50, width: 1200, height: 800, maximized: false });
  });

  it('keeps a window on a secondary display at negative coordinates', () => {
    expect(placeWindow({ bounds: { x: -2000, y: 100, width: 1600, height: 1000 }, maximized: true }, [LAPTOP, EXTERNAL_LEFT])).toEqual({ x: -2000, y: 100, width: 1600, height: 1000, maximized: true });
  });

  it('a window saved on a display that is gone opens centred on the primary display', () => {
    const p = placeWindow({ bounds: { x: -2000, y: 100, width: 1600, height: 1000 }, maximized: false }, [LAPTOP]);
    expect(p).toEqual({ x: Math.round((1440 - DEFAULT_SIZE.width) / 2), y: Math.round((875 - DEFAULT_SIZE.height) / 2), width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height, maximized: false });
  });

  it('a window bigger than its display is shrunk and pulled fully onto it', () => {
    expect(placeWindow({ bounds: { x: 1000, y: 500, width: 3000, height: 2000 }, maximized: false }, [LAPTOP])).toEqual({ x: 0, y: 0, width: 1440, height: 875, maximized: false });
  });

  it('a title bar above the top of the screen is not a visible window', () => {
    const p = placeWindow({ bounds: { x: 100, y: -500, width: 1000, height: 700 }, maximized: false }, [LAPTOP]);
    expect(p.y).toBeGreaterThanOrEqual(0);
  });

  it('a tiny saved size grows to the minimum', () => {
    const p = placeWindow({ bounds: { x: 10, y: 10, width: 200, height: 100 }, maximized: false }, [LAPTOP]);
    expect(p.width).toBe(MIN_SIZE.width);
    expect(p.height).toBe(MIN_SIZE.height);
  });

  it('no saved state and no display information: default size, the OS places it', () => {
    expect(placeWindow(null, [])).toEqual({ ...DEFAULT_SIZE, maximized: false });
  });

  it('property: whatever was saved, the window lies inside one current work area', () => {
    const area = fc.record({ x: fc.integer({ min: -5000, max: 5000 }), y: fc.integer({ min: -3000, max: 3000 }), width: fc.integer({ min: 800, max: 5000 }), height: fc.integer({ min: 600, max: 3000 }) });
    const saved = fc.option(fc.record({ bounds: fc.record({ x: fc.integer({ min: -100_000, max: 100_000 }), y: fc.integer({ min: -100_000, max: 100_000 }), width: fc.integer({ min: 1, max: 100_000 }), height: fc.integer({ min: 1, max: 100_000 }) }), maximized: fc.boolean() }), { nil: null });
    fc.assert(
      fc.property(saved, fc.array(area, { minLength: 1, maxLength: 3 }), (s, areas) => {
        const p = placeWindow(s, areas);
        const inside = areas.some((a) => p.x! >= a.x && p.y! >= a.y && p.x! + p.width <= a.x + a.width && p.y! + p.height <= a.y + a.height);
        expect(inside).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('window-state file', () => {
  it('round-trips, writes nothing invalid, and survives garbage', () => {
    const { dir, cleanup } = tempDir('bsc-window-');
    try {
      const file = path.join(dir, 'sub', 'window-state.json');
      expect(readWindowState(file)).toBeNull();
      writeWindowState(file, { bounds: { x: 5, y: 6, width: 1000, height: 700 }, maximized: false });
      expect(readWindowState(file)).toEqual({ bounds: { x: 5, y: 6, width: 1000, height: 700 }, maximized: false });
      writeWindowState(file, { bounds: { x: Number.NaN, y: 6, width: 1000, height: 700 }, maximized: false });
      expect(readWindowState(file)?.bounds.x).toBe(5);
      fs.writeFileSync(file, '{"bounds": {"x": 1, "y"');
      expect(readWindowState(file)).toBeNull();
      expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
