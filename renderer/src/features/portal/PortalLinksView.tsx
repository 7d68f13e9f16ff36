import { EmptyState } from '../../ui/states';

// Placeholder until the feature lands.
export function PortalLinksView() {
  return <EmptyState title="PortalLinksView" hint="Coming soon." />;
}
