import { useEffect } from 'react';
import { useApp } from './store';
import { ModeBanner } from './ModeBanner';
import { Rail } from './Rail';
import { useGlobalShortcuts } from './shortcuts';
import { ErrorState, Loading } from '../ui/states';
import { CustomersView } from '../features/customers/CustomersView';
import { SearchPalette } from '../features/customers/SearchPalette';
import { DunningView } from '../features/dunning/DunningView';
import { PortalLinksView } from '../features/portal/PortalLinksView';
import { SettingsView } from '../features/settings/SettingsView';
import { CopilotPanel } from '../features/copilot/CopilotPanel';
import { api } from '../api/client';

export function App() {
  const { view, theme, workspace, workspaceError, copilotOpen, toast, refreshWorkspace } = useApp();
  useGlobalShortcuts();

  useEffect(() => {
    void refreshWorkspace();
    return api.on('data.changed', (c) => {
      if (c.kinds.includes('accounts')) void refreshWorkspace();
    });
  }, [refreshWorkspace]);

  // Stripe lost or back (what the sync's own requests see): the banner says so at once.
  useEffect(() => api.on('connectivity', (c) => useApp.getState().setOnline(c.accountId, c.online)), []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  if (workspaceError && !workspace) return <ErrorState message={workspaceError} onRetry={refreshWorkspace} />;
  if (!workspace) return <Loading label="Opening the workspace…" />;

  return (
    <div className={`app-shell${copilotOpen ? ' with-copilot' : ''}`}>
      <ModeBanner />
      <Rail />
      <main className="pane" id="main">
        {view === 'customers' && <CustomersView />}
        {view === 'dunning' && <DunningView />}
        {view === 'portal' && <PortalLinksView />}
        {view === 'settings' && <SettingsView />}
      </main>
      {copilotOpen && <CopilotPanel />}
      <SearchPalette />
      {toast && (
        <div className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
          {toast.text}
        </div>
      )}
    </div>
  );
}
