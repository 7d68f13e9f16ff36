import { useState } from 'react';
import type { PortalConfigurationView, PortalSettings } from '../../../../shared/contract/portal';
import { errorMessage } from '../../api/client';
import { callKey, queryClient, useCall, useCallMutation } from '../../api/queries';
import { useApp } from '../../app/store';
import { CopyId, When } from '../../ui/format';
import { EmptyState, ErrorState, Loading } from '../../ui/states';
import { ConfigurationForm } from './ConfigurationForm';
import './portal.css';
import { useWorkspace } from '../../app/workspace';
import { useRoleRefusal } from '../team/role';

/** Settings → Customer portal: return URL, configurations (list, create, edit), the console default. */
/** The longest return URL the portal settings accept (the contract's limit). */
const MAX_RETURN_URL = 2048;

export function PortalSettingsSection() {
  const isDemo = useWorkspace()?.mode === 'demo';
  const toast = useApp((s) => s.showToast);
  const settingsQuery = useCall('portal.settings.get', {});
  const configsQuery = useCall('portal.configurations.list', {});
  const settings: PortalSettings | null = settingsQuery.data ?? null;
  const configs: PortalConfigurationView[] | null = configsQuery.data ?? null;
  const configError = configsQuery.error ? errorMessage(configsQuery.error) : null;
  const [returnUrl, setReturnUrl] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const settingsError = saveError ?? (settingsQuery.error ? errorMessage(settingsQuery.error) : null);
  const [editing, setEditing] = useState<PortalConfigurationView | 'new' | null>(null);
  const load = () => void Promise.all([settingsQuery.refetch(), configsQuery.refetch()]);
  // The field shows the saved URL until the agent edits it.
  const shownReturnUrl = returnUrl ?? settings?.returnUrl ?? '';
  // On a team the portal settings and configurations are an admin's (the server's table).
  const settingsRefusal = useRoleRefusal('portal.settings.set', {});
  const configRefusal = useRoleRefusal('portal.configurations.create', {});
  const setPortalSettings = useCallMutation('portal.settings.set', { onSuccess: (s) => queryClient.setQueryData(callKey('portal.settings.get', {}), s), invalidates: ['portal.configurations.list'] });

  const saveReturnUrl = async (e: React.FormEvent) => {
    e.preventDefault();
    // Said in words here: the contract's own message for this is a schema sentence.
    const url = shownReturnUrl.trim();
    if (url.length > MAX_RETURN_URL) return setSaveError(`The return URL is ${url.length.toLocaleString()} characters long; the limit is ${MAX_RETURN_URL.toLocaleString()}.`);
    try {
      const s = await setPortalSettings.mutateAsync({ returnUrl: url ? url : null });
      setReturnUrl(null);
      setSaveError(null);
      toast(s.returnUrl ? 'Return URL saved.' : 'Return URL cleared: links need one to be created.');
    } catch (err) {
      setSaveError(errorMessage(err));
    }
  };

  const setConsoleDefault = async (id: string | null) => {
    try {
      await setPortalSettings.mutateAsync({ defaultConfigurationId: id });
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  const consoleDefault = configs?.find((c) => c.isConsoleDefault) ?? null;

  return (
    <section className="section portal-settings" aria-labelledby="portal-settings-h">
      <h2 id="portal-settings-h">Customer portal</h2>
      {isDemo && <p className="muted">Demo workspace: configurations here are simulated and kept on this computer; portal links are simulated too.</p>}

      <form className="portal-return-url" onSubmit={saveReturnUrl}>
        <label className="portal-field portal-field-wide">
          <span>Return URL (where the portal sends customers back)</span>
          <input
            type="url"
            value={shownReturnUrl}
            onChange={(e) => {
              setReturnUrl(e.target.value);
              setSaveError(null); // the message was about the text before this edit
            }}
            placeholder="https://example.com/account"
            data-testid="portal-return-url"
          />
        </label>
        <button type="submit" disabled={!settings || shownReturnUrl.trim() === (settings.returnUrl ?? '') || !!settingsRefusal} title={settingsRefusal ?? undefined}>
          Save
        </button>
      </form>
      {settingsError && (
        <p className="portal-error" role="alert">
          {settingsError}
        </p>
      )}

      <div className="portal-config-header">
        <h3>Configurations</h3>
        <span className="muted">
          {consoleDefault ? (
            <>Links use <strong>{consoleDefault.name ?? consoleDefault.id}</strong>.</>
          ) : (
            <>Links use Stripe's default configuration.</>
          )}
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => setEditing('new')} disabled={editing !== null || !!configRefusal} title={configRefusal ?? undefined}>
          New configuration
        </button>
      </div>
      {editing && (
        <ConfigurationForm
          existing={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            toast(saved.simulated ? 'Configuration saved (simulated: demo workspace).' : 'Configuration saved in Stripe.');
            void load();
          }}
        />
      )}
      {configError ? (
        <ErrorState message={`Could not load the portal configurations: ${configError}`} onRetry={load} />
      ) : !configs ? (
        <Loading label="Loading portal configurations…" />
      ) : configs.length === 0 ? (
        <EmptyState
          title="No portal configuration yet"
          hint="Stripe cannot create portal links until the account has one. Create one here, or save the portal settings once in the Stripe Dashboard."
        />
      ) : (
        <table className="dense portal-config-table">
          <thead>
            <tr>
              <th scope="col">Configuration</th>
              <th scope="col">Features</th>
              <th scope="col">Login page</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="portal-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {configs.map((c) => (
              <tr key={c.id} data-testid="portal-config-row">
                <td>
                  <div>
                    <strong>{c.name ?? 'Unnamed'}</strong> {c.isDefault && <span className="badge info">Stripe default</span>} {c.isConsoleDefault && <span className="badge ok">Used for links</span>}{' '}
                    {!c.active && <span className="badge">Inactive</span>} {c.simulated && <span className="badge warn">Simulated</span>}
                  </div>
                  <CopyId id={c.id} />
                  {c.businessProfile.headline && <div className="muted">{c.businessProfile.headline}</div>}
                </td>
                <td>
                  <FeatureSummary c={c} />
                </td>
                <td>{c.loginPage.enabled && c.loginPage.url ? <CopyId id={c.loginPage.url} /> : <span className="muted">Off</span>}</td>
                <td>
                  <When at={c.updated} />
                </td>
                <td className="portal-config-actions">
                  <button type="button" onClick={() => setEditing(c)} disabled={editing !== null || !!configRefusal} title={configRefusal ?? undefined} aria-label={`Edit ${c.name ?? c.id}`}>
                    Edit
                  </button>{' '}
                  {c.isConsoleDefault ? (
                    <button type="button" onClick={() => setConsoleDefault(null)} disabled={!!settingsRefusal} title={settingsRefusal ?? undefined}>
                      Use Stripe's default
                    </button>
                  ) : (
                    <button type="button" onClick={() => setConsoleDefault(c.id)} disabled={!c.active || !!settingsRefusal} title={settingsRefusal ?? undefined} aria-label={`Use for links: ${c.name ?? c.id}`}>
                      Use for links
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function FeatureSummary({ c }: { c: PortalConfigurationView }) {
  const f = c.features;
  const on: string[] = [];
  if (f.invoiceHistory.enabled) on.push('invoice history');
  if (f.paymentMethodUpdate.enabled) on.push('payment methods');
  if (f.customerUpdate.enabled) on.push(`details (${f.customerUpdate.allowedUpdates.map((u) => u.replace(/_/g, ' ')).join(', ') || 'none'})`);
  if (f.subscriptionCancel.enabled) on.push(`cancel ${f.subscriptionCancel.mode === 'immediately' ? 'immediately' : 'at period end'}${f.subscriptionCancel.cancellationReason.enabled ? ' with reasons' : ''}`);
  if (f.subscriptionPause.enabled) on.push('pause');
  if (f.subscriptionUpdate.enabled) on.push(`plan changes (${f.subscriptionUpdate.products.length} product${f.subscriptionUpdate.products.length === 1 ? '' : 's'})`);
  return <span>{on.length ? on.join(' · ') : <span className="muted">Nothing enabled</span>}</span>;
}
