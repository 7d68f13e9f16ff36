import { EmptyState } from '../../ui/states';

// Placeholder until the feature lands.
export function SettingsView() {
  return <EmptyState title="SettingsView" hint="Coming soon." />;
}
