import { create } from 'zustand';
import type { WorkspaceStatus } from '../../../shared/contract';
import { api, errorMessage } from '../api/client';

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
  theme: Theme;
  workspace: WorkspaceStatus | null;
  workspaceError: string | null;
  toast: { text: string; kind: 'info' | 'error' } | null;
  navigate(view: View): void;
  openCustomer(id: string | null): void;
  setPaletteOpen(open: boolean): void;
  toggleCopilot(): void;
  setTheme(theme: Theme): void;
  refreshWorkspace(): Promise<void>;
  /** A connectivity change pushed by the services, for the account shown. */
  setOnline(accountId: string, online: boolean): void;
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
  theme: savedTheme ?? (prefersDark ? 'dark' : 'light'),
  workspace: null,
  workspaceError: null,
  toast: null,
  navigate: (view) => set({ view, customerId: view === 'customers' ? null : null }),
  openCustomer: (customerId) =>
    set((s) => (customerId ? { customerId, view: 'customers', paletteOpen: false, backTo: s.customerId ? s.backTo : s.view } : { customerId: null, view: s.backTo, paletteOpen: false })),
  setPaletteOpen: (paletteOpen) => set({ paletteOpen }),
  toggleCopilot: () => set((s) => ({ copilotOpen: !s.copilotOpen })),
  setTheme: (theme) => {
    localStorage.setItem('theme', theme);
    set({ theme });
  },
  refreshWorkspace: async () => {
    try {
      set({ workspace: await api.call('workspace.status', {}), workspaceError: null });
    } catch (err) {
      set({ workspaceError: errorMessage(err) });
    }
  },
  setOnline: (accountId, online) =>
    set((s) => (s.workspace && s.workspace.account?.id === accountId && s.workspace.online !== online ? { workspace: { ...s.workspace, online } } : s)),
  showToast: (text, kind = 'info') => {
    set({ toast: { text, kind } });
    setTimeout(() => set((s) => (s.toast?.text === text ? { toast: null } : s)), 4000);
  },
}));
