import type React from 'react';

const FOCUSABLE = 'input:not(:disabled), textarea:not(:disabled), select:not(:disabled), button:not(:disabled), a[href]';

/**
 * onKeyDown for a modal: Tab and Shift+Tab cycle through the modal's own controls, never out to
 * the page behind it. Other keys pass through untouched.
 */
export function keepTabInside(e: React.KeyboardEvent<HTMLElement>): void {
  if (e.key !== 'Tab') return;
  e.preventDefault();
  const focusable = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
  if (focusable.length === 0) return;
  const at = focusable.indexOf(document.activeElement as HTMLElement);
  focusable[(at + (e.shiftKey ? -1 : 1) + focusable.length) % focusable.length]!.focus();
}
