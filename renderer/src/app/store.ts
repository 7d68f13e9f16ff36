import { create } from 'zustand';

export type View = 'customers' | 'dunning' | 'portal' | 'settings';
export type Theme = 'light' | 'dark';

interface AppState {
  view: View;
  /** The customer open in the working pane, if any. */
  customerId: string | null;
  /** Where the open customer was opened from: openCustomer(null) (Esc, the back button) returns there. */
  backTo: View;
  paletteOpen: boolean;
  copilotOpen: boolean;
  /** The `?` list of keyboard shortcuts. */
  shortcutsOpen: boolean;
  theme: Theme;
  toast: { text: string; kind: 'info' | 'error' } | null;
  navigate(view: View): void;
  openCustomer(id: string | null): void;
  setPaletteOpen(open: boolean): void;
  toggleCopilot(): void;
  setShortcutsOpen(open: boolean): void;
  setTheme(theme: Theme): void;
  showToast(text: string, kind?: 'info' | 'error'): void;
}

const savedTheme = (typeof localStorage !== 'undefined' && (localStorage.getItem('theme') as Theme | null)) || null;
const prefersDark = typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches;

export const useApp = create<AppState>((set) => ({
  view: 'customers',
  customerId: null,
  backTo: 'customers',
  paletteOpen: false,
  copilotOpen: false,
  shortcutsOpen: false,
  theme: savedTheme ?? (prefersDark ? 'dark' : 'light'),
  toast: null,
  navigate: (view) => set({ view, customerId: null }),
  openCustomer: (customerId) =>
    set((s) => (customerId ? { customerId, view: 'customers', paletteOpen: false, backTo: s.customerId ? s.backTo : s.view } : { customerId: null, view: s.backTo, paletteOpen: false })),
  setPaletteOpen: (paletteOpen) => set({ paletteOpen }),
  toggleCopilot: () => set((s) => ({ copilotOpen: !s.copilotOpen })),
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
  setTheme: (theme) => {
    localStorage.setItem('theme', theme);
    set({ theme });
  },
  showToast: (text, kind = 'info') => {
    set({ toast: { text, kind } });
    setTimeout(() => set((s) => (s.toast?.text === text ? { toast: null } : s)), 4000);
  },
}));
