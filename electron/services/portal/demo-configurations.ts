import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import type { PortalConfigurationView, PortalFeatures, PortalFeaturesInput } from '../../../shared/contract/portal';
import type { Settings } from '../core/settings';
import type { ConfigurationInput } from './configuration-mapping';

// The demo workspace has no Stripe account: its portal configurations live in the settings table,
// marked simulated, so the settings screen can be tried end to end without sending anything.

const KEY = 'portal.demo_configurations';

const OFF_FEATURES: PortalFeatures = {
  customerUpdate: { enabled: false, allowedUpdates: [] },
  invoiceHistory: { enabled: false },
  paymentMethodUpdate: { enabled: false },
  subscriptionCancel: { enabled: false, mode: 'at_period_end', prorationBehavior: 'none', cancellationReason: { enabled: false, options: [] } },
  subscriptionPause: { enabled: false },
  subscriptionUpdate: { enabled: false, defaultAllowedUpdates: [], prorationBehavior: 'none', products: [] },
};

function demoLoginUrl(id: string): string {
  return `https://billing.stripe.com/p/login/demo_${id.replace(/^bpc_/, '')}`;
}

function starter(nowSec: number): PortalConfigurationView {
  const id = 'bpc_demoDefault';
  return {
    id,
    name: 'Default (demo)',
    active: true,
    isDefault: true,
    isConsoleDefault: false,
    defaultReturnUrl: null,
    businessProfile: { headline: 'Demo Co. partners with Stripe for simplified billing.', privacyPolicyUrl: 'https://example.com/privacy', termsOfServiceUrl: 'https://example.com/terms' },
    features: applyFeatures(OFF_FEATURES, {
      customerUpdate: { enabled: true, allowedUpdates: ['email', 'address', 'tax_id'] },
      invoiceHistory: { enabled: true },
      paymentMethodUpdate: { enabled: true },
      subscriptionCancel: { enabled: true, mode: 'at_period_end', prorationBehavior: 'none', cancellationReason: { enabled: true, options: ['too_expensive', 'missing_features', 'switched_service', 'unused', 'other'] } },
    }),
    loginPage: { enabled: true, url: demoLoginUrl(id) },
    created: nowSec,
    updated: nowSec,
    simulated: true,
  };
}

export function listDemoConfigurations(settings: Settings, nowMs: number): PortalConfigurationView[] {
  const stored = settings.get<PortalConfigurationView[] | null>(KEY, null);
  if (stored) return stored;
  const initial = [starter(Math.floor(nowMs / 1000))];
  settings.set(KEY, initial);
  return initial;
}

export function createDemoConfiguration(settings: Settings, input: ConfigurationInput & { features: PortalFeaturesInput }, nowMs: number): PortalConfigurationView {
  const all = listDemoConfigurations(settings, nowMs);
  const now = Math.floor(nowMs / 1000);
  const id = `bpc_demo${randomBytes(8).toString('hex')}`;
  const base: PortalConfigurationView = {
    id,
    name: null,
    active: true,
    isDefault: false,
    isConsoleDefault: false,
    defaultReturnUrl: null,
    businessProfile: { headline: null, privacyPolicyUrl: null, termsOfServiceUrl: null },
    features: OFF_FEATURES,
    loginPage: { enabled: false, url: null },
    created: now,
    updated: now,
    simulated: true,
  };
  const created = apply(base, input, now);
  settings.set(KEY, [...all, created]);
  return created;
}

export function updateDemoConfiguration(settings: Settings, id: string, input: ConfigurationInput, nowMs: number): PortalConfigurationView {
  const all = listDemoConfigurations(settings, nowMs);
  const current = all.find((c) => c.id === id);
  if (!current) throw new AppError('not_found', `There is no portal configuration ${id} in the demo workspace.`);
  const updated = apply(current, input, Math.floor(nowMs / 1000));
  settings.set(KEY, all.map((c) => (c.id === id ? updated : c)));
  return updated;
}

function apply(c: PortalConfigurationView, input: ConfigurationInput, nowSec: number): PortalConfigurationView {
  const loginEnabled = input.loginPageEnabled ?? c.loginPage.enabled;
  const bp = input.businessProfile ?? {};
  return {
    ...c,
    name: input.name !== undefined ? input.name : c.name,
    active: input.active ?? c.active,
    defaultReturnUrl: input.defaultReturnUrl !== undefined ? input.defaultReturnUrl : c.defaultReturnUrl,
    businessProfile: {
      headline: bp.headline !== undefined ? bp.headline : c.businessProfile.headline,
      privacyPolicyUrl: bp.privacyPolicyUrl !== undefined ? bp.privacyPolicyUrl : c.businessProfile.privacyPolicyUrl,
      termsOfServiceUrl: bp.termsOfServiceUrl !== undefined ? bp.termsOfServiceUrl : c.businessProfile.termsOfServiceUrl,
    },
    features: input.features ? applyFeatures(c.features, input.features) : c.features,
    loginPage: { enabled: loginEnabled, url: loginEnabled ? demoLoginUrl(c.id) : null },
    updated: nowSec,
  };
}

function applyFeatures(f: PortalFeatures, input: PortalFeaturesInput): PortalFeatures {
  const out: PortalFeatures = structuredClone(f);
  if (input.customerUpdate) out.customerUpdate = { enabled: input.customerUpdate.enabled, allowedUpdates: input.customerUpdate.allowedUpdates ?? out.customerUpdate.allowedUpdates };
  if (input.invoiceHistory) out.invoiceHistory = { enabled: input.invoiceHistory.enabled };
  if (input.paymentMethodUpdate) out.paymentMethodUpdate = { enabled: input.paymentMethodUpdate.enabled };
  if (input.subscriptionCancel) {
    const c = input.subscriptionCancel;
    out.subscriptionCancel = {
      enabled: c.enabled,
      mode: c.mode ?? out.subscriptionCancel.mode,
      prorationBehavior: c.prorationBehavior ?? out.subscriptionCancel.prorationBehavior,
      cancellationReason: c.cancellationReason ? { enabled: c.cancellationReason.enabled, options: [...c.cancellationReason.options] } : out.subscriptionCancel.cancellationReason,
    };
  }
  if (input.subscriptionPause) out.subscriptionPause = { enabled: input.subscriptionPause.enabled };
  if (input.subscriptionUpdate) {
    const u = input.subscriptionUpdate;
    out.subscriptionUpdate = {
      enabled: u.enabled,
      defaultAllowedUpdates: u.defaultAllowedUpdates ? [...u.defaultAllowedUpdates] : out.subscriptionUpdate.defaultAllowedUpdates,
      prorationBehavior: u.prorationBehavior ?? out.subscriptionUpdate.prorationBehavior,
      products: u.products ? u.products.map((p) => ({ product: p.product, prices: [...p.prices] })) : out.subscriptionUpdate.products,
    };
  }
  return out;
}
