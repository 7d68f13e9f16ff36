import { EmptyState } from '../../ui/states';

// Placeholder until the feature lands.
export function CustomersView() {
  return <EmptyState title="CustomersView" hint="Coming soon." />;
}
