import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keyLabel, pressedKey, SHORTCUTS, withKeys, type KeyScope } from '../../renderer/src/app/keymap';

// The one keymap table: every key in one place, one listener, and no component talking to the
// transport. The greps are the acceptance's own words made checkable on every run.

const RENDERER = path.resolve(import.meta.dirname, '../../renderer/src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}
const rel = (p: string) => path.relative(RENDERER, p);

describe('the renderer keymap', () => {
  it('has exactly one keydown listener on window, in the key dispatcher', () => {
    const hits = sources(RENDERER).flatMap((file) => {
      const text = fs.readFileSync(file, 'utf8');
      return [...text.matchAll(/(window|document)\.addEventListener\(\s*['"]keydown['"]/g)].map(() => rel(file));
    });
    expect(hits).toEqual(['app/key-dispatch.ts']);
  });

  it('no component calls the transport: api.call / api.on only inside renderer/src/api/', () => {
    const offenders = sources(RENDERER)
      .filter((file) => !rel(file).startsWith(`api${path.sep}`))
      .filter((file) => /\bapi\.(call|on)\(|from '[./]*\/api\/(client|transport)'.*\bapi\b|import \{[^}]*\bapi\b[^}]*\} from/.test(fs.readFileSync(file, 'utf8')))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it('subscribes to data.changed once, in the query layer (the cache, not each view, decides what to fetch again)', () => {
    const hits = sources(RENDERER).flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/\.on\(\s*'data\.changed'/g)].map(() => rel(file)));
    expect(hits).toEqual(['api/queries.ts']);
  });

  it('within one scope, a key belongs to one shortcut only (a press is never ambiguous)', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const [id, def] of Object.entries(SHORTCUTS)) {
      for (const key of def.keys) {
        const slot = `${def.scope} ${key}`;
        if (owner.has(slot)) clashes.push(`${slot}: ${owner.get(slot)} and ${id}`);
        owner.set(slot, id);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('every shortcut says what it does, and a single key never fires while typing unless it is a text or dialog key', () => {
    const scopes: KeyScope[] = ['global', 'list', 'customer', 'dialog', 'text'];
    for (const [id, def] of Object.entries(SHORTCUTS)) {
      expect(def.does.length, id).toBeGreaterThan(5);
      expect(scopes, id).toContain(def.scope);
      const single = def.keys.some((k) => k.length === 1);
      if (single && 'whileTyping' in def && def.whileTyping) expect(['text', 'dialog'], id).toContain(def.scope);
      if (def.scope === 'text') expect('whileTyping' in def && def.whileTyping, id).toBe(true);
    }
  });

  it('names keys the way a tooltip reads them', () => {
    expect(keyLabel('Mod+k')).toMatch(/^(Ctrl|Cmd)\+K$/);
    expect(keyLabel('g d')).toBe('G then D');
    expect(keyLabel('Escape')).toBe('Esc');
    expect(keyLabel('Shift+Tab')).toBe('Shift+Tab');
    expect(withKeys('Go to Dunning', 'go.dunning')).toBe('Go to Dunning (G then D)');
    expect(withKeys('Next row', 'list.next')).toBe('Next row (J or ↓)');
  });

  it('reads a key press as the spec the table uses, whatever the modifiers and case', () => {
    expect(pressedKey({ key: 'K', ctrlKey: true, metaKey: false, altKey: false, shiftKey: true })).toBe('Mod+k');
    expect(pressedKey({ key: '?', ctrlKey: false, metaKey: false, altKey: false, shiftKey: true })).toBe('?');
    expect(pressedKey({ key: 'Tab', ctrlKey: false, metaKey: false, altKey: false, shiftKey: true })).toBe('Shift+Tab');
    expect(pressedKey({ key: 'Enter', ctrlKey: false, metaKey: true, altKey: false, shiftKey: false })).toBe('Mod+Enter');
    // Every key spec of the table is what pressing it produces (a spec no press can produce is dead).
    const all = Object.values(SHORTCUTS).flatMap((d) => d.keys.flatMap((k) => k.split(' ')));
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.boolean(), (spec, meta) => {
        const parts = spec.split('+');
        const key = parts[parts.length - 1]!;
        const mod = parts.includes('Mod');
        const event = { key, ctrlKey: mod && !meta, metaKey: mod && meta, altKey: parts.includes('Alt'), shiftKey: parts.includes('Shift') || key === '?' };
        expect(pressedKey(event)).toBe(spec);
      }),
    );
  });
});
