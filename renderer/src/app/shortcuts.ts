import { useShortcut } from './key-dispatch';
import { useApp, type View } from './store';

/** The app-wide keys: Ctrl/Cmd+K search, Ctrl/Cmd+J copilot, `g` then c/d/p/s to switch views, `?` the shortcut list. */
export function useGlobalShortcuts(): void {
  useShortcut('palette.toggle', () => useApp.getState().setPaletteOpen(true));
  useShortcut('copilot.toggle', () => useApp.getState().toggleCopilot());
  useShortcut('help.shortcuts', () => useApp.getState().setShortcutsOpen(true));
  const go = (view: View) => () => useApp.getState().navigate(view);
  useShortcut('go.customers', go('customers'));
  useShortcut('go.dunning', go('dunning'));
  useShortcut('go.portal', go('portal'));
  useShortcut('go.settings', go('settings'));
}
