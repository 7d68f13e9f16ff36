import { useId, useRef, useState } from 'react';
import type { AccountSummary, CallError, KeyCheck, WorkspaceMode } from '../../../../shared/contract';
import { CallFailure, errorMessage } from '../../api/client';
import { useCall, useCallMutation } from '../../api/queries';
import { useApp } from '../../app/store';
import { CopyId } from '../../ui/format';
import { EmptyState, ErrorState, Loading } from '../../ui/states';
import { hintForKeyInput, nextStepForKeyError } from './stripe-key-input';
import './stripe-key-section.css';
import { useKeysOnServer } from '../team/role';

function modeOf(account: AccountSummary): WorkspaceMode {
  return account.isDemo ? 'demo' : account.livemode ? 'live' : 'test';
}

function ModeBadge({ mode }: { mode: WorkspaceMode }) {
  const label = { demo: 'DEMO', test: 'TEST MODE', live: 'LIVE MODE' }[mode];
  return <span className={`stripe-mode stripe-mode-${mode}`}>{label}</span>;
}

/**
 * Settings → Stripe: add a key (checked by the services, stored in the OS keychain; the key is
 * never shown again, only its kind, mode and last four characters), list the accounts with their
 * mode, switch between them, remove a key.
 */
export function StripeKeySection() {
  const status = useCall('workspace.status', {});
  const workspace = status.data ?? null;
  const workspaceError = status.error ? errorMessage(status.error) : null;
  const refresh = () => void status.refetch();
  // Every account change shows at once and alone: the mutations resolve after the cache of the
  // old account is dropped and what is on screen is read again.
  const setKey = useCallMutation('workspace.setStripeKey', { invalidates: 'everything' });
  const switchAccount = useCallMutation('workspace.switchAccount', { invalidates: 'everything' });
  const clearKey = useCallMutation('workspace.clearStripeKey', { invalidates: 'everything' });
  const toast = useApp((s) => s.showToast);
  // The field is uncontrolled: the key lives only in the input element (no React state, no value
  // attribute in the DOM) and the field is emptied as soon as it has been sent.
  const keyField = useRef<HTMLInputElement>(null);
  const [hint, setHint] = useState<ReturnType<typeof hintForKeyInput>>(null);
  const [checking, setChecking] = useState(false);
  const onServer = useKeysOnServer();
  const [failure, setFailure] = useState<CallError | null>(null);
  const [added, setAdded] = useState<{ check: KeyCheck; account: AccountSummary } | null>(null);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const [busyAccount, setBusyAccount] = useState<string | null>(null);
  const ids = { input: useId(), hint: useId(), error: useId() };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const field = keyField.current;
    if (!field || !hintForKeyInput(field.value)?.submittable || checking) return;
    const key = field.value.trim();
    field.value = '';
    setHint(null);
    setChecking(true);
    setFailure(null);
    setAdded(null);
    try {
      setAdded(await setKey.mutateAsync({ key }));
    } catch (err) {
      setFailure(err instanceof CallFailure ? err.error : { code: 'internal', message: errorMessage(err) });
    } finally {
      setChecking(false);
    }
  };

  const switchTo = async (account: AccountSummary) => {
    setBusyAccount(account.id);
    try {
      await switchAccount.mutateAsync({ accountId: account.id });
      toast(`Now working on ${account.name} (${modeOf(account)} mode).`);
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      setBusyAccount(null);
    }
  };

  const removeKey = async (account: AccountSummary) => {
    setBusyAccount(account.id);
    try {
      const { mode } = await clearKey.mutateAsync({ accountId: account.id });
      setConfirmRemove(null);
      if (added?.account.id === account.id) setAdded(null);
      toast(`Key removed for ${account.name}. Its cached data stays on this computer.${mode === 'demo' ? ' Showing the demo workspace.' : ''}`);
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      setBusyAccount(null);
    }
  };

  const stripeAccounts = workspace?.accounts.filter((a) => !a.isDemo) ?? [];
  const demo = workspace?.accounts.find((a) => a.isDemo);

  return (
    <section className="section stripe-key-section" aria-labelledby="stripe-key-h">
      <h2 id="stripe-key-h">Stripe</h2>
      {workspace && (
        <p className="stripe-current" data-testid="stripe-current-mode">
          Working on <strong>{workspace.account?.name ?? 'no account'}</strong> <ModeBadge mode={workspace.mode} />
          {workspace.mode === 'live' && <span className="stripe-live-note"> Actions affect real customers and real money.</span>}
        </p>
      )}

      <form className="stripe-key-form" onSubmit={submit} noValidate>
        <label htmlFor={ids.input}>Add a Stripe API key</label>
        <div className="stripe-key-row">
          <input
            id={ids.input}
            type="password"
            name="stripe-api-key"
            ref={keyField}
            defaultValue=""
            onChange={(e) => {
              setHint(hintForKeyInput(e.target.value));
              setFailure(null);
            }}
            placeholder="sk_test_… or rk_live_…"
            autoComplete="off"
            autoCorrect="off"
            autoCapitalize="off"
            spellCheck={false}
            aria-describedby={`${ids.hint}${failure ? ` ${ids.error}` : ''}`}
            aria-invalid={hint?.tone === 'error' || failure ? true : undefined}
            disabled={checking || !!onServer}
            title={onServer ?? undefined}
            data-testid="stripe-key-input"
          />
          <button type="submit" className="primary" disabled={!hint?.submittable || checking || !!onServer} title={onServer ?? undefined}>
            {checking ? 'Checking with Stripe…' : 'Check and save'}
          </button>
        </div>
        <p id={ids.hint} className={`stripe-key-hint stripe-key-hint-${hint?.tone ?? 'none'}`} aria-live="polite">
          {hint?.text ?? 'Stripe Dashboard → Developers → API keys. A restricted key with read access (and write access for retries and portal links) is enough. The key is stored in your system keychain and never shown again.'}
        </p>
        {checking && <Loading label="Checking the key with Stripe…" />}
        {failure && (
          <div id={ids.error} className="stripe-key-error" role="alert" data-testid="stripe-key-error">
            <p>{failure.message}</p>
            <p className="muted">{nextStepForKeyError(failure)}</p>
          </div>
        )}
        {added && (
          <p className="stripe-key-added" role="status" data-testid="stripe-key-added">
            Saved: {added.check.kind === 'secret' ? 'secret key' : 'restricted key'} ending in <code>{added.check.hint}</code> for <strong>{added.account.name}</strong>{' '}
            <ModeBadge mode={added.check.livemode ? 'live' : 'test'} />
          </p>
        )}
      </form>

      <h3 className="stripe-accounts-h">Accounts</h3>
      {workspaceError && !workspace ? (
        <ErrorState message={`Could not load the accounts: ${workspaceError}`} onRetry={refresh} />
      ) : !workspace ? (
        <Loading label="Loading accounts…" />
      ) : (
        <>
          {stripeAccounts.length === 0 && (
            <EmptyState title="No Stripe account yet" hint="You are looking at the demo workspace. Add a key above to work on your own Stripe data; the demo stays available." />
          )}
          <ul className="stripe-accounts" aria-label="Accounts">
            {[...stripeAccounts, ...(demo ? [demo] : [])].map((account) => {
              const current = workspace.account?.id === account.id;
              const mode = modeOf(account);
              return (
                <li key={account.id} className={`stripe-account${current ? ' is-current' : ''}`} aria-current={current ? 'true' : undefined}>
                  <ModeBadge mode={mode} />
                  <span className="stripe-account-name">{account.name}</span>
                  {account.stripeAccountId && <CopyId id={account.stripeAccountId} />}
                  <span className="spacer" />
                  {current ? (
                    <span className="muted">current</span>
                  ) : (
                    <button type="button" onClick={() => switchTo(account)} disabled={busyAccount !== null} aria-label={`Switch to ${account.name} (${mode} mode)`}>
                      Switch
                    </button>
                  )}
                  {!account.isDemo &&
                    (confirmRemove === account.id ? (
                      <span className="stripe-confirm" role="group" aria-label={`Remove the key for ${account.name}?`}>
                        <span>Remove the key? Cached data stays.</span>
                        <button type="button" className="danger" onClick={() => removeKey(account)} disabled={busyAccount !== null} autoFocus>
                          Remove key
                        </button>
                        <button type="button" onClick={() => setConfirmRemove(null)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <button type="button" className="danger" onClick={() => setConfirmRemove(account.id)} disabled={busyAccount !== null} aria-label={`Remove key for ${account.name}`}>
                        Remove key
                      </button>
                    ))}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
