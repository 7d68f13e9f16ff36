import { useState } from 'react';
import type { TeamStatus } from '../../../../shared/contract';
import { errorMessage } from '../../api/client';
import { useCall, useCallMutation } from '../../api/queries';
import { useApp } from '../../app/store';

const CONNECTION_WORDS: Record<TeamStatus['connection'], string> = {
  connecting: 'Connecting to the team server…',
  online: 'Connected: changes by your team show up here as they happen.',
  offline: 'Offline: reads work from this desk’s copy; notes wait and are sent when the team server is back.',
  signed_out: 'Signed out by the team: this desk’s copy stays readable. Ask a team admin for a new token.',
};

/**
 * Settings → Team: which team server this desk follows and as whom, or a form to join one. The
 * token goes to the main side once and is kept in the OS keychain; it never comes back here.
 * Joining and leaving take effect at once in the app (the services swap caches): every answer on
 * screen is forgotten, since it was read from the other cache.
 */
export function TeamSection() {
  const toast = useApp((s) => s.showToast);
  // undefined while asking; null when this desk follows no team (or the answer failed).
  const team = useCall('team.status', {});
  const status: TeamStatus | null | undefined = team.isPending ? undefined : team.isError ? null : team.data;
  const joinTeam = useCallMutation('team.join', { invalidates: 'everything' });
  const leaveTeam = useCallMutation('team.leave', { invalidates: 'everything' });
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [restart, setRestart] = useState<string | null>(null);

  const join = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await joinTeam.mutateAsync({ url, token });
      setToken('');
      setRestart(r.restartRequired ? `Joined as ${r.agent.name} (${r.agent.role}). Restart the console to start working from the team.` : `Joined as ${r.agent.name} (${r.agent.role}): this desk now works from the team’s copy.`);
      toast(`Joined the team as ${r.agent.name}.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const leave = async () => {
    try {
      const r = await leaveTeam.mutateAsync({});
      setRestart(r.restartRequired ? 'Left the team. Restart the console to work with your own Stripe key again.' : 'Left the team: this desk works from its own cache and Stripe key again.');
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section className="section" aria-labelledby="team-h">
      <h2 id="team-h">Team</h2>
      {status ? (
        <>
          <p>
            Following <code>{status.url}</code>
            {status.agent ? (
              <>
                {' '}
                as <strong>{status.agent.name}</strong> ({status.agent.role})
              </>
            ) : null}
            .
          </p>
          <p role="status" className={status.connection === 'online' ? '' : 'inline-error'}>
            {CONNECTION_WORDS[status.connection]}
            {status.pendingWrites > 0 ? ` ${status.pendingWrites} note${status.pendingWrites === 1 ? '' : 's'} waiting to be sent.` : ''}
          </p>
          <p className="muted">The team server holds the Stripe key and the model key; this desk holds neither.</p>
          <button type="button" onClick={leave}>
            Leave the team…
          </button>
        </>
      ) : status === null ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void join();
          }}
        >
          <p className="muted">Work from your team’s server: shared notes, queue and assignments; no Stripe key on this computer.</p>
          <label>
            Team server address{' '}
            <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://team.example.com" maxLength={500} required />
          </label>{' '}
          <label>
            Agent token{' '}
            <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} maxLength={600} required />
          </label>{' '}
          <button type="submit" disabled={busy || !url.trim() || !token.trim()}>
            {busy ? 'Checking…' : 'Join'}
          </button>
        </form>
      ) : null}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {restart && <p role="status">{restart}</p>}
    </section>
  );
}
