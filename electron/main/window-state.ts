import fs from 'node:fs';
import path from 'node:path';

// Window bounds remembered between runs, in their own small JSON file in userData. The file is
// validated on read (it may be hand-edited, truncated, or from a machine with other displays) and
// the result is clamped so the window always opens where the user can see and grab it.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedWindowState {
  bounds: Rect;
  maximized: boolean;
}

/** Where and how big to open the window; x/y absent means "let the OS centre it". */
export interface WindowPlacement {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1360, height: 860 };
export const MIN_SIZE = { width: 900, height: 600 };
/** Any saved coordinate beyond this is nonsense, not a display. */
const MAX_COORD = 100_000;
/** How much of the window's top strip must lie on a display for the saved position to be kept. */
const VISIBLE_STRIP = { width: 120, height: 40 };

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Validates what was read from the file: anything malformed gives null (defaults are used). */
export function parseSavedWindowState(raw: unknown): SavedWindowState | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const { bounds, maximized } = raw as Record<string, unknown>;
  if (typeof bounds !== 'object' || bounds === null) return null;
  const { x, y, width, height } = bounds as Record<string, unknown>;
  if (!isInt(x, -MAX_COORD, MAX_COORD) || !isInt(y, -MAX_COORD, MAX_COORD)) return null;
  if (!isInt(width, 1, MAX_COORD) || !isInt(height, 1, MAX_COORD)) return null;
  return { bounds: { x, y, width, height }, maximized: maximized === true };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * Chooses the placement: the saved bounds when the window's title strip is on one of the current
 * displays' work areas (size clamped to that display), otherwise the default size centred on the
 * primary display (the first work area). With no display information, the OS decides.
 */
export function placeWindow(saved: SavedWindowState | null, workAreas: Rect[]): WindowPlacement {
  const primary = workAreas[0];
  const fitSize = (w: number, h: number, area: Rect | undefined) => ({
    width: Math.max(Math.min(MIN_SIZE.width, area?.width ?? MIN_SIZE.width), Math.min(w, area?.width ?? w)),
    height: Math.max(Math.min(MIN_SIZE.height, area?.height ?? MIN_SIZE.height), Math.min(h, area?.height ?? h)),
  });
  if (saved) {
    const strip: Rect = { x: saved.bounds.x, y: saved.bounds.y, width: saved.bounds.width, height: Math.min(saved.bounds.height, VISIBLE_STRIP.height) };
    const home = workAreas.find((area) => {
      const o = overlap(strip, area);
      return o.width >= Math.min(VISIBLE_STRIP.width, strip.width) && o.height >= Math.min(VISIBLE_STRIP.height, strip.height);
    });
    if (home) {
      const size = fitSize(saved.bounds.width, saved.bounds.height, home);
      // Pull the window back inside the display it belongs to so no edge hangs off-screen.
      const x = Math.min(Math.max(saved.bounds.x, home.x), home.x + home.width - size.width);
      const y = Math.min(Math.max(saved.bounds.y, home.y), home.y + home.height - size.height);
      return { x, y, ...size, maximized: saved.maximized };
    }
  }
  const size = fitSize(DEFAULT_SIZE.width, DEFAULT_SIZE.height, primary);
  if (!primary) return { ...size, maximized: saved?.maximized ?? false };
  return {
    x: primary.x + Math.round((primary.width - size.width) / 2),
    y: primary.y + Math.round((primary.height - size.height) / 2),
    ...size,
    maximized: saved?.maximized ?? false,
  };
}

export function readWindowState(file: string): SavedWindowState | null {
  try {
    return parseSavedWindowState(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    // Missing or unreadable: the defaults are a fine answer, and the next close rewrites the file.
    return null;
  }
}

/** Writes atomically (temp file + rename) so a crash mid-write cannot leave half a file. */
export function writeWindowState(file: string, state: SavedWindowState): void {
  const clean = parseSavedWindowState(state);
  if (!clean) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(clean), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
