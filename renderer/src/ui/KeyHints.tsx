import { Fragment } from 'react';
import { keyLabel, SHORTCUTS, type ShortcutId } from '../app/keymap';

/**
 * A line of key hints ("J/K move · Enter open customer"), the keys read from the keymap table so a
 * changed key changes the hint too. The first key of each shortcut is shown.
 */
export function KeyHints({ hints, className }: { hints: Array<{ ids: ShortcutId[]; words: string }>; className?: string }) {
  return (
    <p className={className}>
      {hints.map((hint, i) => (
        <Fragment key={hint.words}>
          {i > 0 && ' · '}
          {hint.ids.map((id, j) => (
            <Fragment key={id}>
              {j > 0 && '/'}
              <kbd>{keyLabel(SHORTCUTS[id].keys[0])}</kbd>
            </Fragment>
          ))}{' '}
          {hint.words}
        </Fragment>
      ))}
    </p>
  );
}
