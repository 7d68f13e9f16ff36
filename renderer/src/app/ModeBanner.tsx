import { useWorkspace } from './workspace';
import { SyncStamp } from '../features/sync/SyncStamp';

/** The account and test/live/demo mode, always visible (Stripe's orange test-mode banner). */
export function ModeBanner() {
  const ws = useWorkspace();
  if (!ws) return null;
  const label = ws.mode === 'demo' ? 'Demo workspace — generated data, actions are simulated' : ws.mode === 'test' ? 'Test mode' : 'Live mode — real customers, real money: every action is real';
  return (
    <header className={`mode-banner mode-${ws.mode}`} data-testid="mode-banner">
      <span className="mode-pill">{ws.mode === 'live' ? '● LIVE' : ws.mode.toUpperCase()}</span>
      <span className="mode-label">{label}</span>
      <span className="spacer" />
      <span className="account-name" title={ws.account?.stripeAccountId ?? ws.account?.id}>
        {ws.account?.name ?? 'No account'}
      </span>
      {ws.team?.connection === 'signed_out' && (
        // Every screen says it, not only Settings: the desk no longer hears the team nor saves to it.
        <strong className="signed-out-pill" role="status" title={ws.team.message ?? undefined}>
          Signed out by the team · this desk’s copy stays readable
        </strong>
      )}
      <SyncStamp />
    </header>
  );
}
