import { useEffect, useLayoutEffect, useRef } from 'react';
import { SHORTCUTS, pressedKey, type KeyScope, type ShortcutId } from './keymap';

// The renderer's one keydown listener on window. Components bind handlers to the table's shortcut
// ids; a key press goes to the most specific binding that applies (text field, then dialog, then
// customer, list, global; the newest binding first within a scope). An open modal dialog shuts out
// every binding outside it, and single keys never fire while the agent types: these two rules
// used to be re-decided, slightly differently, by eight separate listeners.

/** What a handler answers: `false` means "not mine after all" and the key goes on to the next binding. */
export type KeyHandler = (e: KeyboardEvent) => boolean | void;

interface Binding {
  id: ShortcutId;
  handler: () => KeyHandler;
  /** The element the binding belongs to: a text binding fires only for key presses inside it. */
  root?: () => Element | null;
}

const SCOPE_ORDER: KeyScope[] = ['text', 'dialog', 'customer', 'list', 'global'];

const bindings: Binding[] = [];
/** Open modal dialogs, the top one last. */
const modals: HTMLElement[] = [];
/** The first key of a two-key sequence (`g`, then `c`), while the second is awaited. */
let pendingPrefix: string | null = null;

/** True when the key press belongs to a text field, so single-key shortcuts must not fire. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

function applies(binding: Binding, e: KeyboardEvent, typing: boolean): boolean {
  const def = SHORTCUTS[binding.id];
  const root = binding.root?.() ?? null;
  const top = modals[modals.length - 1];
  if (top && !(root && top.contains(root))) return false;
  if (def.scope === 'text') return !!root && e.target instanceof Node && root.contains(e.target);
  return !typing || !!('whileTyping' in def && def.whileTyping);
}

function dispatch(e: KeyboardEvent): void {
  if (e.defaultPrevented || e.isComposing) return;
  const pressed = pressedKey(e);
  const typing = isTyping(e.target);
  const prefix = pendingPrefix;
  pendingPrefix = null;
  // The character after `g` belongs to the sequence, whatever it is: `g d` never also fires D's key.
  const spec = prefix && pressed.length === 1 ? `${prefix} ${pressed}` : pressed;
  const candidates = bindings.filter((b) => (SHORTCUTS[b.id].keys as readonly string[]).includes(spec));
  for (const scope of SCOPE_ORDER) {
    for (let i = candidates.length - 1; i >= 0; i--) {
      const binding = candidates[i]!;
      if (SHORTCUTS[binding.id].scope !== scope || !applies(binding, e, typing)) continue;
      if (binding.handler()(e) === false) continue;
      e.preventDefault();
      return;
    }
  }
  const startsSequence = !prefix && !typing && modals.length === 0 && bindings.some((b) => SHORTCUTS[b.id].keys.some((k) => k.startsWith(`${pressed} `)));
  if (startsSequence) pendingPrefix = pressed;
}

/** Installs the one window listener (the app shell calls this once). */
export function useKeyDispatch(): void {
  useEffect(() => {
    window.addEventListener('keydown', dispatch);
    return () => window.removeEventListener('keydown', dispatch);
  }, []);
}

/**
 * Binds a handler to a shortcut of the table while the component is mounted (and `enabled`). The
 * handler always sees the component's latest props and state. Bound in a layout effect: a key
 * pressed the moment the component appears is already its own.
 */
export function useShortcut(id: ShortcutId, handler: KeyHandler, options: { root?: React.RefObject<Element | null>; enabled?: boolean } = {}): void {
  const latest = useRef(handler);
  latest.current = handler;
  const { root, enabled = true } = options;
  useLayoutEffect(() => {
    if (!enabled) return;
    const binding: Binding = { id, handler: () => latest.current, ...(root ? { root: () => root.current } : {}) };
    bindings.push(binding);
    return () => {
      bindings.splice(bindings.indexOf(binding), 1);
    };
  }, [id, root, enabled]);
}

/** Marks an element as an open modal dialog: until it goes, only bindings inside it fire. */
export function pushModal(el: HTMLElement): () => void {
  modals.push(el);
  return () => {
    modals.splice(modals.indexOf(el), 1);
  };
}
