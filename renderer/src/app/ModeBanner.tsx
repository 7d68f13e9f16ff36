import { useApp } from './store';
import { SyncStamp } from '../features/sync/SyncStamp';

/** The account and test/live/demo mode, always visible (Stripe's orange test-mode banner). */
export function ModeBanner() {
  const ws = useApp((s) => s.workspace);
  if (!ws) return null;
  const label = ws.mode === 'demo' ? 'Demo workspace — generated data, actions are simulated' : ws.mode === 'test' ? 'Test mode' : 'Live mode';
  return (
    <header className={`mode-banner mode-${ws.mode}`} data-testid="mode-banner">
      <span className="mode-pill">{ws.mode.toUpperCase()}</span>
      <span className="mode-label">{label}</span>
      <span className="spacer" />
      <span className="account-name" title={ws.account?.stripeAccountId ?? ws.account?.id}>
        {ws.account?.name ?? 'No account'}
      </span>
      <SyncStamp />
    </header>
  );
}
