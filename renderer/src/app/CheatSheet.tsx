import { Modal } from '../ui/Modal';
import { keyLabel, SCOPE_TITLES, SHORTCUTS, type KeyScope, type ShortcutDef } from './keymap';
import { useApp } from './store';

const SCOPES: KeyScope[] = ['global', 'list', 'customer', 'dialog', 'text'];

/** A run of digits reads as one range ("1–7"), not seven keys. */
function shownKeys(keys: readonly string[]): string[] {
  return keys.length > 3 && keys.every((k) => /^\d$/.test(k)) ? [`${keys[0]}–${keys[keys.length - 1]}`] : [...keys];
}

/** `?`: every keyboard shortcut, by where it works, read from the one keymap table. */
export function CheatSheet() {
  const open = useApp((s) => s.shortcutsOpen);
  const setOpen = useApp((s) => s.setShortcutsOpen);
  if (!open) return null;
  const entries = Object.entries(SHORTCUTS) as Array<[string, ShortcutDef]>;
  return (
    <Modal onClose={() => setOpen(false)} aria-labelledby="cheat-sheet-title">
      <div className="cheat-sheet" data-testid="cheat-sheet">
        <div className="cheat-sheet-head">
          <h2 id="cheat-sheet-title">Keyboard shortcuts</h2>
          <button type="button" onClick={() => setOpen(false)} autoFocus>
            Close <kbd>Esc</kbd>
          </button>
        </div>
        <div className="cheat-sheet-scopes">
          {SCOPES.map((scope) => (
            <section key={scope} aria-labelledby={`cheat-${scope}`} data-scope={scope}>
              <h3 id={`cheat-${scope}`}>{SCOPE_TITLES[scope]}</h3>
              <dl>
                {entries
                  .filter(([, def]) => def.scope === scope)
                  .map(([id, def]) => (
                    <div key={id} className="cheat-row" data-shortcut={id}>
                      <dt>
                        {shownKeys(def.keys).map((k, i) => (
                          <span key={k}>
                            {i > 0 && <span className="muted"> / </span>}
                            <kbd>{keyLabel(k)}</kbd>
                          </span>
                        ))}
                      </dt>
                      <dd>{def.does}</dd>
                    </div>
                  ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </Modal>
  );
}
