import { useEffect } from 'react';
import { useApp } from './store';

/** True when the key press belongs to a text field, so single-key shortcuts must not fire. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

/** App-wide keys: Ctrl/Cmd+K search, Ctrl/Cmd+J copilot, "g" then c/d/p/s to switch views. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    let pendingG = false;
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const app = useApp.getState();
      if (mod && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        app.setPaletteOpen(!app.paletteOpen);
        return;
      }
      if (mod && e.key.toLowerCase() === 'j') {
        e.preventDefault();
        app.toggleCopilot();
        return;
      }
      if (mod || e.altKey || isTyping(e.target)) return;
      if (pendingG) {
        pendingG = false;
        const map: Record<string, 'customers' | 'dunning' | 'portal' | 'settings'> = { c: 'customers', d: 'dunning', p: 'portal', s: 'settings' };
        const view = map[e.key.toLowerCase()];
        if (view) app.navigate(view);
        return;
      }
      if (e.key === 'g') pendingG = true;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
