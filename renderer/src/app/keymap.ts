// Every keyboard shortcut of the console, declared once. The one window listener
// (key-dispatch.ts) matches key presses against this table, tooltips read their key labels from
// it, and the `?` cheat sheet lists it. A shortcut does something only where a mounted component
// has bound a handler to its id (useShortcut), so the table is the whole truth about keys and the
// components say what each key does on their screen.

/**
 * Where a shortcut applies. text: while typing in a field; dialog: inside the open dialog or panel
 * (a modal dialog shuts out every other scope); customer: the customer view; list: the customer
 * list and the dunning queue; global: anywhere no dialog is open.
 */
export type KeyScope = 'global' | 'list' | 'customer' | 'dialog' | 'text';

export interface ShortcutDef {
  /** Key specs: `Mod+k` (Ctrl or Cmd), `Shift+Tab`, `g c` (g, then c), a key name (`Escape`) or a character. */
  keys: readonly string[];
  scope: KeyScope;
  /** What the key does, in the words of the cheat sheet. */
  does: string;
  /** Fires while a text field has focus (single-key shortcuts never do unless said here). */
  whileTyping?: boolean;
}

export const SHORTCUTS = {
  'palette.toggle': { keys: ['Mod+k'], scope: 'global', does: 'Search customers', whileTyping: true },
  'copilot.toggle': { keys: ['Mod+j'], scope: 'global', does: 'Show or hide the copilot', whileTyping: true },
  'go.customers': { keys: ['g c'], scope: 'global', does: 'Go to Customers' },
  'go.dunning': { keys: ['g d'], scope: 'global', does: 'Go to Dunning' },
  'go.portal': { keys: ['g p'], scope: 'global', does: 'Go to Portal links' },
  'go.settings': { keys: ['g s'], scope: 'global', does: 'Go to Settings' },
  'help.shortcuts': { keys: ['?'], scope: 'global', does: 'Show these keyboard shortcuts' },

  'list.next': { keys: ['j', 'ArrowDown'], scope: 'list', does: 'Next row' },
  'list.previous': { keys: ['k', 'ArrowUp'], scope: 'list', does: 'Previous row' },
  'list.open': { keys: ['Enter'], scope: 'list', does: 'Open the customer of the row' },
  'list.search': { keys: ['/'], scope: 'list', does: 'Go to the filter box' },
  'queue.select': { keys: ['x'], scope: 'list', does: 'Dunning queue: select or unselect the case' },
  'queue.retry': { keys: ['r'], scope: 'list', does: 'Dunning queue: retry the payment of the case' },
  'queue.contacted': { keys: ['m'], scope: 'list', does: 'Dunning queue: mark the selected cases (or this one) contacted' },
  'queue.clearSelection': { keys: ['Escape'], scope: 'list', does: 'Dunning queue: clear the selection' },

  'customer.back': { keys: ['Escape'], scope: 'customer', does: 'Back to where the customer was opened from' },
  'customer.portalLink': { keys: ['p'], scope: 'customer', does: 'Send a Customer Portal link' },
  'customer.note': { keys: ['n'], scope: 'customer', does: 'Write a note about the customer' },

  'dialog.close': { keys: ['Escape'], scope: 'dialog', does: 'Close the dialog or panel (same as Cancel)', whileTyping: true },
  'dialog.wrapFocus': { keys: ['Tab', 'Shift+Tab'], scope: 'dialog', does: 'Move between the dialog’s controls (never out of it)', whileTyping: true },
  'portal.flow': { keys: ['1', '2', '3', '4', '5', '6', '7'], scope: 'dialog', does: 'Portal link panel: create the link for flow 1 to 7' },
  'portal.nextFlow': { keys: ['j', 'ArrowDown'], scope: 'dialog', does: 'Portal link panel: next flow' },
  'portal.previousFlow': { keys: ['k', 'ArrowUp'], scope: 'dialog', does: 'Portal link panel: previous flow' },

  'text.submit': { keys: ['Mod+Enter'], scope: 'text', does: 'Save the note, or send the message to the copilot', whileTyping: true },
  'text.leave': { keys: ['Escape'], scope: 'text', does: 'Leave the field (an edit: cancel it; a reply being written: stop it)', whileTyping: true },
  'filter.next': { keys: ['ArrowDown'], scope: 'text', does: 'In the customer filter: next row', whileTyping: true },
  'filter.previous': { keys: ['ArrowUp'], scope: 'text', does: 'In the customer filter: previous row', whileTyping: true },
  'filter.open': { keys: ['Enter'], scope: 'text', does: 'In the customer filter: open the customer of the row', whileTyping: true },
} as const satisfies Record<string, ShortcutDef>;

export type ShortcutId = keyof typeof SHORTCUTS;

export const SCOPE_TITLES: Record<KeyScope, string> = {
  global: 'Anywhere',
  list: 'Customer list and dunning queue',
  customer: 'A customer',
  dialog: 'A dialog or panel',
  text: 'While typing in a field',
};

/** The platform's name for the Mod key: what the agent reads on a tooltip. */
// (Read through globalThis: the table is also imported by Node tests, where there is no navigator.)
const platform = (globalThis as { navigator?: { platform?: string } }).navigator?.platform ?? '';
const MOD = /Mac|iPhone|iPad/.test(platform) ? 'Cmd' : 'Ctrl';

const KEY_NAMES: Record<string, string> = { ArrowDown: '↓', ArrowUp: '↑', Escape: 'Esc', Enter: 'Enter', Tab: 'Tab' };

/** One key spec in the words of a tooltip: `Mod+k` → "Ctrl+K", `g c` → "G then C". */
export function keyLabel(spec: string): string {
  return spec
    .split(' ')
    .map((step) =>
      step
        .split('+')
        .map((part) => (part === 'Mod' ? MOD : KEY_NAMES[part] ?? (part.length === 1 ? part.toUpperCase() : part)))
        .join('+'),
    )
    .join(' then ');
}

/** "Search customers (Ctrl+K)": a control's tooltip, with the keys from the table. */
export function withKeys(label: string, id: ShortcutId): string {
  return `${label} (${SHORTCUTS[id].keys.map(keyLabel).join(' or ')})`;
}

/**
 * A key press as a spec of the table: `Mod+` for Ctrl or Cmd, `Alt+`, `Shift+` only for named
 * keys (a typed character already says whether Shift was down: `?`), letters lower-case.
 */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export function pressedKey(e: KeyPress): string {
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('Mod');
  if (e.altKey) parts.push('Alt');
  if (e.shiftKey && e.key.length > 1) parts.push('Shift');
  parts.push(key);
  return parts.join('+');
}
