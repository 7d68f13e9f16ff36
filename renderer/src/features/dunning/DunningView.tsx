import { EmptyState } from '../../ui/states';

// Placeholder until the feature lands.
export function DunningView() {
  return <EmptyState title="DunningView" hint="Coming soon." />;
}
