import { EmptyState } from '../../ui/states';

// Placeholder until the feature lands.
export function CopilotPanel() {
  return <EmptyState title="CopilotPanel" hint="Coming soon." />;
}
