import type Stripe from 'stripe';
import { AppError } from '../../../shared/contract/errors';
import type { PortalConfigurationView, PortalFeatures, PortalFeaturesInput } from '../../../shared/contract/portal';

// Between the console's camelCase configuration form and Stripe's billing_portal.configuration.

export interface ConfigurationInput {
  name?: string | null;
  businessProfile?: { headline?: string | null; privacyPolicyUrl?: string | null; termsOfServiceUrl?: string | null };
  defaultReturnUrl?: string | null;
  features?: PortalFeaturesInput;
  loginPageEnabled?: boolean;
  active?: boolean;
}

type Features = Stripe.BillingPortal.ConfigurationUpdateParams.Features;

/** Refuses a feature switched on with nothing to offer, before Stripe does it less clearly. */
export function checkFeatures(features: PortalFeaturesInput | undefined): void {
  if (!features) return;
  const cu = features.customerUpdate;
  if (cu?.enabled && cu.allowedUpdates && cu.allowedUpdates.length === 0) {
    throw new AppError('bad_input', 'Customer information updates are on but no field is allowed: choose at least one (email, address, …) or switch the feature off.');
  }
  const reason = features.subscriptionCancel?.cancellationReason;
  if (reason?.enabled && reason.options.length === 0) {
    throw new AppError('bad_input', 'Cancellation reasons are on but no reason is offered: choose at least one reason or switch them off.');
  }
  const su = features.subscriptionUpdate;
  if (su?.enabled && su.defaultAllowedUpdates && su.defaultAllowedUpdates.length === 0) {
    throw new AppError('bad_input', 'Plan changes are on but nothing may change: allow price, quantity or promotion code, or switch the feature off.');
  }
}

export function toStripeFeatures(f: PortalFeaturesInput): Features {
  const out: Features = {};
  if (f.customerUpdate) {
    out.customer_update = { enabled: f.customerUpdate.enabled, ...(f.customerUpdate.allowedUpdates ? { allowed_updates: f.customerUpdate.allowedUpdates } : {}) };
  }
  if (f.invoiceHistory) out.invoice_history = { enabled: f.invoiceHistory.enabled };
  if (f.paymentMethodUpdate) out.payment_method_update = { enabled: f.paymentMethodUpdate.enabled };
  if (f.subscriptionCancel) {
    const c = f.subscriptionCancel;
    out.subscription_cancel = {
      enabled: c.enabled,
      ...(c.mode ? { mode: c.mode } : {}),
      ...(c.prorationBehavior ? { proration_behavior: c.prorationBehavior } : {}),
      ...(c.cancellationReason ? { cancellation_reason: { enabled: c.cancellationReason.enabled, options: c.cancellationReason.options } } : {}),
    };
  }
  if (f.subscriptionPause) out.subscription_pause = { enabled: f.subscriptionPause.enabled };
  if (f.subscriptionUpdate) {
    const u = f.subscriptionUpdate;
    out.subscription_update = {
      enabled: u.enabled,
      ...(u.defaultAllowedUpdates ? { default_allowed_updates: u.defaultAllowedUpdates } : {}),
      ...(u.prorationBehavior ? { proration_behavior: u.prorationBehavior } : {}),
      ...(u.products ? { products: u.products.map((p) => ({ product: p.product, prices: p.prices })) } : {}),
    };
  }
  return out;
}

export function toCreateParams(input: ConfigurationInput & { features: PortalFeaturesInput }): Stripe.BillingPortal.ConfigurationCreateParams {
  const params: Stripe.BillingPortal.ConfigurationCreateParams = { features: toStripeFeatures(input.features) as Stripe.BillingPortal.ConfigurationCreateParams.Features };
  if (input.name) params.name = input.name;
  const bp = input.businessProfile;
  if (bp && (bp.headline || bp.privacyPolicyUrl || bp.termsOfServiceUrl)) {
    params.business_profile = {
      ...(bp.headline ? { headline: bp.headline } : {}),
      ...(bp.privacyPolicyUrl ? { privacy_policy_url: bp.privacyPolicyUrl } : {}),
      ...(bp.termsOfServiceUrl ? { terms_of_service_url: bp.termsOfServiceUrl } : {}),
    };
  }
  if (input.defaultReturnUrl) params.default_return_url = input.defaultReturnUrl;
  if (input.loginPageEnabled !== undefined) params.login_page = { enabled: input.loginPageEnabled };
  return params;
}

/** Update params: `null` in the form clears the value on Stripe (Stripe's empty string). */
export function toUpdateParams(input: ConfigurationInput): Stripe.BillingPortal.ConfigurationUpdateParams {
  const params: Stripe.BillingPortal.ConfigurationUpdateParams = {};
  if (input.name !== undefined) params.name = input.name ?? '';
  if (input.active !== undefined) params.active = input.active;
  const bp = input.businessProfile;
  if (bp) {
    const out: Stripe.BillingPortal.ConfigurationUpdateParams.BusinessProfile = {};
    if (bp.headline !== undefined) out.headline = bp.headline ?? '';
    if (bp.privacyPolicyUrl !== undefined) out.privacy_policy_url = bp.privacyPolicyUrl ?? '';
    if (bp.termsOfServiceUrl !== undefined) out.terms_of_service_url = bp.termsOfServiceUrl ?? '';
    if (Object.keys(out).length) params.business_profile = out;
  }
  if (input.defaultReturnUrl !== undefined) params.default_return_url = input.defaultReturnUrl ?? '';
  if (input.features) params.features = toStripeFeatures(input.features);
  if (input.loginPageEnabled !== undefined) params.login_page = { enabled: input.loginPageEnabled };
  return params;
}

export function fromStripeConfiguration(c: Stripe.BillingPortal.Configuration, consoleDefaultId: string | null): PortalConfigurationView {
  const f = c.features;
  const features: PortalFeatures = {
    customerUpdate: { enabled: f.customer_update?.enabled ?? false, allowedUpdates: [...(f.customer_update?.allowed_updates ?? [])] },
    invoiceHistory: { enabled: f.invoice_history?.enabled ?? false },
    paymentMethodUpdate: { enabled: f.payment_method_update?.enabled ?? false },
    subscriptionCancel: {
      enabled: f.subscription_cancel?.enabled ?? false,
      mode: f.subscription_cancel?.mode ?? 'at_period_end',
      prorationBehavior: f.subscription_cancel?.proration_behavior ?? 'none',
      cancellationReason: { enabled: f.subscription_cancel?.cancellation_reason?.enabled ?? false, options: [...(f.subscription_cancel?.cancellation_reason?.options ?? [])] },
    },
    subscriptionPause: { enabled: f.subscription_pause?.enabled ?? false },
    subscriptionUpdate: {
      enabled: f.subscription_update?.enabled ?? false,
      defaultAllowedUpdates: [...(f.subscription_update?.default_allowed_updates ?? [])],
      prorationBehavior: f.subscription_update?.proration_behavior ?? 'none',
      products: (f.subscription_update?.products ?? []).map((p) => ({ product: p.product, prices: [...p.prices] })),
    },
  };
  return {
    id: c.id,
    name: c.name ?? null,
    active: c.active,
    isDefault: c.is_default,
    isConsoleDefault: c.id === consoleDefaultId,
    defaultReturnUrl: c.default_return_url ?? null,
    businessProfile: {
      headline: c.business_profile?.headline ?? null,
      privacyPolicyUrl: c.business_profile?.privacy_policy_url ?? null,
      termsOfServiceUrl: c.business_profile?.terms_of_service_url ?? null,
    },
    features,
    loginPage: { enabled: c.login_page?.enabled ?? false, url: c.login_page?.enabled ? (c.login_page.url ?? null) : null },
    created: c.created,
    updated: c.updated,
    simulated: false,
  };
}
