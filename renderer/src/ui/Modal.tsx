import { useLayoutEffect, useRef } from 'react';
import { pushModal, useShortcut } from '../app/key-dispatch';

const TABBABLE = 'input:not(:disabled), textarea:not(:disabled), select:not(:disabled), button:not(:disabled), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog as the platform's `<dialog>` opened with showModal(): the page behind is inert,
 * the dialog sits in the top layer and gets focus. Esc (the keymap's dialog.close) and a click on
 * the backdrop ask `onClose`, which may refuse (a retry that is running). Mounted = open.
 */
export function Modal({
  onClose,
  className,
  top,
  children,
  ...aria
}: {
  onClose: () => void;
  className?: string;
  /** Near the top of the window (a search palette) instead of centred. */
  top?: boolean;
  children: React.ReactNode;
  role?: 'dialog' | 'alertdialog';
  'aria-label'?: string;
  'aria-labelledby'?: string;
  'aria-describedby'?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);

  useLayoutEffect(() => {
    const dialog = ref.current!;
    dialog.showModal();
    const pop = pushModal(dialog);
    return () => {
      pop();
      // close() before React removes it: the platform puts focus back where it was.
      if (dialog.open) dialog.close();
    };
  }, []);

  useShortcut('dialog.close', () => onClose(), { root: ref });

  // Chromium lets Tab leave a modal dialog at its last control (to the browser's own toolbar, or
  // to nothing in Electron and headless): at the two ends focus goes round to the other end.
  // Everywhere in between Tab is the platform's.
  useShortcut(
    'dialog.wrapFocus',
    (e) => {
      const tabbable = [...ref.current!.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => !el.closest('[inert]'));
      if (tabbable.length === 0) return false;
      const at = tabbable.indexOf(document.activeElement as HTMLElement);
      const first = tabbable[0]!;
      const last = tabbable[tabbable.length - 1]!;
      if (e.shiftKey && (at === 0 || at === -1)) last.focus();
      else if (!e.shiftKey && (at === tabbable.length - 1 || at === -1)) first.focus();
      else return false;
    },
    { root: ref },
  );

  return (
    <dialog
      ref={ref}
      className={`modal${top ? ' modal-top' : ''}${className ? ` ${className}` : ''}`}
      {...aria}
      onCancel={(e) => {
        // The platform would close it behind React's back: the owner decides.
        e.preventDefault();
        onClose();
      }}
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
    >
      {children}
    </dialog>
  );
}
