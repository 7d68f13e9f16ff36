import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queryClient, useCall, useChangeNotices, useConnectivityNotices } from '../api/queries';
import { errorMessage } from '../api/client';
import { useApp } from './store';
import { CheatSheet } from './CheatSheet';
import { useKeyDispatch } from './key-dispatch';
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

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Shell />
    </QueryClientProvider>
  );
}

function Shell() {
  const { view, theme, copilotOpen, toast } = useApp();
  const workspace = useCall('workspace.status', {});
  useKeyDispatch();
  useChangeNotices();
  useConnectivityNotices();
  useGlobalShortcuts();


  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  if (workspace.error && !workspace.data) return <ErrorState message={errorMessage(workspace.error)} onRetry={() => void workspace.refetch()} />;
  if (!workspace.data) return <Loading label="Opening the workspace…" />;

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
      <CheatSheet />
      {toast && (
        <div className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
          {toast.text}
        </div>
      )}
    </div>
  );
}
