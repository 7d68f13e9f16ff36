import { useId, useState } from 'react';
import {
  CANCELLATION_REASONS,
  CUSTOMER_UPDATE_FIELDS,
  PRORATION_BEHAVIORS,
  SUBSCRIPTION_UPDATE_FIELDS,
  type PortalConfigurationView,
  type PortalFeatures,
} from '../../../../shared/contract/portal';
import { errorMessage } from '../../api/client';
import { useCallMutation } from '../../api/queries';
import './portal.css';
import { useRoleRefusal } from '../team/role';

const words = (s: string) => s.replace(/_/g, ' ');

const EMPTY_FEATURES: PortalFeatures = {
  customerUpdate: { enabled: false, allowedUpdates: ['email', 'address'] },
  invoiceHistory: { enabled: true },
  paymentMethodUpdate: { enabled: true },
  subscriptionCancel: { enabled: false, mode: 'at_period_end', prorationBehavior: 'none', cancellationReason: { enabled: false, options: [] } },
  subscriptionPause: { enabled: false },
  subscriptionUpdate: { enabled: false, defaultAllowedUpdates: ['price'], prorationBehavior: 'create_prorations', products: [] },
};

/** "prod_A: price_1, price_2" per line ⇄ the products a plan change may switch between. */
function productsToText(products: PortalFeatures['subscriptionUpdate']['products']): string {
  return products.map((p) => `${p.product}: ${p.prices.join(', ')}`).join('\n');
}
function textToProducts(text: string): Array<{ product: string; prices: string[] }> {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [product = '', prices = ''] = line.split(':');
      return { product: product.trim(), prices: prices.split(',').map((p) => p.trim()).filter(Boolean) };
    });
}

function toggle(list: string[], value: string, on: boolean): string[] {
  return on ? [...new Set([...list, value])] : list.filter((v) => v !== value);
}

/** Create or edit a portal configuration: business profile, the features Stripe offers, login page. */
export function ConfigurationForm({ existing, onSaved, onCancel }: { existing: PortalConfigurationView | null; onSaved: (c: PortalConfigurationView) => void; onCancel: () => void }) {
  const id = useId();
  const [name, setName] = useState(existing?.name ?? '');
  const [headline, setHeadline] = useState(existing?.businessProfile.headline ?? '');
  const [privacy, setPrivacy] = useState(existing?.businessProfile.privacyPolicyUrl ?? '');
  const [terms, setTerms] = useState(existing?.businessProfile.termsOfServiceUrl ?? '');
  const [f, setF] = useState<PortalFeatures>(existing?.features ?? EMPTY_FEATURES);
  const [productsText, setProductsText] = useState(productsToText(existing?.features.subscriptionUpdate.products ?? []));
  const [loginPage, setLoginPage] = useState(existing?.loginPage.enabled ?? false);
  const [makeDefault, setMakeDefault] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const set = <K extends keyof PortalFeatures>(key: K, value: Partial<PortalFeatures[K]>) => setF((prev) => ({ ...prev, [key]: { ...prev[key], ...value } }));

  const updateConfiguration = useCallMutation('portal.configurations.update', { invalidates: ['portal.configurations.list', 'portal.settings.get'] });
  const createConfiguration = useCallMutation('portal.configurations.create', { invalidates: ['portal.configurations.list', 'portal.settings.get'] });
  // On a team the portal configurations are an admin's (the server's table).
  const refusal = useRoleRefusal('portal.configurations.update', {});
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const features = {
      customerUpdate: { enabled: f.customerUpdate.enabled, allowedUpdates: f.customerUpdate.allowedUpdates as (typeof CUSTOMER_UPDATE_FIELDS)[number][] },
      invoiceHistory: f.invoiceHistory,
      paymentMethodUpdate: f.paymentMethodUpdate,
      subscriptionCancel: {
        enabled: f.subscriptionCancel.enabled,
        mode: f.subscriptionCancel.mode as 'at_period_end' | 'immediately',
        prorationBehavior: f.subscriptionCancel.prorationBehavior as (typeof PRORATION_BEHAVIORS)[number],
        cancellationReason: { enabled: f.subscriptionCancel.cancellationReason.enabled, options: f.subscriptionCancel.cancellationReason.options as (typeof CANCELLATION_REASONS)[number][] },
      },
      subscriptionPause: f.subscriptionPause,
      subscriptionUpdate: {
        enabled: f.subscriptionUpdate.enabled,
        defaultAllowedUpdates: f.subscriptionUpdate.defaultAllowedUpdates as (typeof SUBSCRIPTION_UPDATE_FIELDS)[number][],
        prorationBehavior: f.subscriptionUpdate.prorationBehavior as (typeof PRORATION_BEHAVIORS)[number],
        products: textToProducts(productsText),
      },
    };
    const businessProfile = { headline: headline.trim() || null, privacyPolicyUrl: privacy.trim() || null, termsOfServiceUrl: terms.trim() || null };
    try {
      const saved = existing
        ? await updateConfiguration.mutateAsync({ id: existing.id, name: name.trim() || null, businessProfile, features, loginPageEnabled: loginPage })
        : await createConfiguration.mutateAsync({ name: name.trim() || null, businessProfile, features, loginPageEnabled: loginPage, makeConsoleDefault: makeDefault });
      onSaved(saved);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="portal-config-form" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{existing ? `Edit ${existing.name ?? existing.id}` : 'New portal configuration'}</h3>
      <div className="portal-form-grid">
        <label className="portal-field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={256} placeholder="e.g. Support links" />
        </label>
        <label className="portal-field">
          <span>Headline</span>
          <input value={headline} onChange={(e) => setHeadline(e.target.value)} maxLength={60} placeholder="Shown at the top of the portal" />
        </label>
        <label className="portal-field">
          <span>Privacy policy URL</span>
          <input type="url" value={privacy} onChange={(e) => setPrivacy(e.target.value)} placeholder="https://…" />
        </label>
        <label className="portal-field">
          <span>Terms of service URL</span>
          <input type="url" value={terms} onChange={(e) => setTerms(e.target.value)} placeholder="https://…" />
        </label>
      </div>

      <fieldset>
        <legend>What customers can do</legend>
        <Check label="See invoice history" checked={f.invoiceHistory.enabled} onChange={(v) => set('invoiceHistory', { enabled: v })} />
        <Check label="Update payment methods" checked={f.paymentMethodUpdate.enabled} onChange={(v) => set('paymentMethodUpdate', { enabled: v })} />
        <Check label="Update their billing details" checked={f.customerUpdate.enabled} onChange={(v) => set('customerUpdate', { enabled: v })} />
        {f.customerUpdate.enabled && (
          <div className="portal-suboptions" role="group" aria-label="Details the customer may update">
            {CUSTOMER_UPDATE_FIELDS.map((field) => (
              <Check key={field} label={words(field)} checked={f.customerUpdate.allowedUpdates.includes(field)} onChange={(v) => set('customerUpdate', { allowedUpdates: toggle(f.customerUpdate.allowedUpdates, field, v) })} />
            ))}
          </div>
        )}
        <Check label="Cancel subscriptions" checked={f.subscriptionCancel.enabled} onChange={(v) => set('subscriptionCancel', { enabled: v })} />
        {f.subscriptionCancel.enabled && (
          <div className="portal-suboptions">
            <label className="portal-field">
              <span>When</span>
              <select value={f.subscriptionCancel.mode} onChange={(e) => set('subscriptionCancel', { mode: e.target.value })}>
                <option value="at_period_end">At the end of the billing period</option>
                <option value="immediately">Immediately</option>
              </select>
            </label>
            <label className="portal-field">
              <span>Proration</span>
              <select value={f.subscriptionCancel.prorationBehavior} onChange={(e) => set('subscriptionCancel', { prorationBehavior: e.target.value })}>
                {PRORATION_BEHAVIORS.map((p) => (
                  <option key={p} value={p}>
                    {words(p)}
                  </option>
                ))}
              </select>
            </label>
            <Check
              label="Ask for a cancellation reason"
              checked={f.subscriptionCancel.cancellationReason.enabled}
              onChange={(v) => set('subscriptionCancel', { cancellationReason: { ...f.subscriptionCancel.cancellationReason, enabled: v } })}
            />
            {f.subscriptionCancel.cancellationReason.enabled && (
              <div className="portal-suboptions" role="group" aria-label="Cancellation reasons offered">
                {CANCELLATION_REASONS.map((r) => (
                  <Check
                    key={r}
                    label={words(r)}
                    checked={f.subscriptionCancel.cancellationReason.options.includes(r)}
                    onChange={(v) => set('subscriptionCancel', { cancellationReason: { enabled: true, options: toggle(f.subscriptionCancel.cancellationReason.options, r, v) } })}
                  />
                ))}
              </div>
            )}
          </div>
        )}
        <Check label="Pause subscriptions" checked={f.subscriptionPause.enabled} onChange={(v) => set('subscriptionPause', { enabled: v })} />
        <Check label="Change plans" checked={f.subscriptionUpdate.enabled} onChange={(v) => set('subscriptionUpdate', { enabled: v })} />
        {f.subscriptionUpdate.enabled && (
          <div className="portal-suboptions">
            <div role="group" aria-label="What the customer may change">
              {SUBSCRIPTION_UPDATE_FIELDS.map((u) => (
                <Check key={u} label={words(u)} checked={f.subscriptionUpdate.defaultAllowedUpdates.includes(u)} onChange={(v) => set('subscriptionUpdate', { defaultAllowedUpdates: toggle(f.subscriptionUpdate.defaultAllowedUpdates, u, v) })} />
              ))}
            </div>
            <label className="portal-field">
              <span>Proration</span>
              <select value={f.subscriptionUpdate.prorationBehavior} onChange={(e) => set('subscriptionUpdate', { prorationBehavior: e.target.value })}>
                {PRORATION_BEHAVIORS.map((p) => (
                  <option key={p} value={p}>
                    {words(p)}
                  </option>
                ))}
              </select>
            </label>
            <label className="portal-field portal-field-wide">
              <span>Products and prices (one product per line: prod_…: price_…, price_…)</span>
              <textarea rows={3} value={productsText} onChange={(e) => setProductsText(e.target.value)} placeholder="prod_Basic: price_monthly, price_yearly" />
            </label>
          </div>
        )}
        <Check label="Shareable login page (customers log in with their email)" checked={loginPage} onChange={setLoginPage} />
        {!existing && <Check label="Use for links sent from this console" checked={makeDefault} onChange={setMakeDefault} />}
      </fieldset>

      {error && (
        <p className="portal-error" role="alert">
          {error}
        </p>
      )}
      <div className="portal-form-actions">
        <button type="submit" className="primary" disabled={busy || !!refusal} title={refusal ?? undefined}>
          {busy ? 'Saving…' : existing ? 'Save changes' : 'Create configuration'}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="portal-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}
