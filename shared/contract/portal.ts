import { z } from 'zod';
import { call } from './define';
import { customerId, portalConfigurationId, shortText, subscriptionId } from './ids';
import type { PortalLinkView } from './customers';

/**
 * Where a portal link lands. 'home' is the portal's home page (no `flow_data`); the others are
 * Stripe's deep links (`flow_data.type`).
 */
export const PORTAL_FLOWS = [
  'home',
  'payment_method_update',
  'subscription_cancel',
  'subscription_update',
  'subscription_update_confirm',
  'subscription_pause',
  'customer_update',
] as const;
export type PortalFlow = (typeof PORTAL_FLOWS)[number];

/** Deep links that act on one subscription (`flow_data.<type>.subscription`). */
export const SUBSCRIPTION_FLOWS: readonly PortalFlow[] = ['subscription_cancel', 'subscription_update', 'subscription_update_confirm', 'subscription_pause'];

export const PORTAL_FLOW_LABELS: Record<PortalFlow, string> = {
  home: 'Portal home page',
  payment_method_update: 'Update payment method',
  subscription_cancel: 'Cancel subscription',
  subscription_update: 'Change plan',
  subscription_update_confirm: 'Confirm a plan change',
  subscription_pause: 'Pause subscription',
  customer_update: 'Update billing details',
};

/** One portal link as the history shows it (the customer-360 projection plus who it was for). */
export interface PortalLinkRecord extends PortalLinkView {
  flow: PortalFlow;
  customerId: string;
  customerName: string | null;
  customerEmail: string | null;
  /** Stripe's billing_portal.session id (bps_…); a demo_… id when simulated. */
  sessionId: string | null;
  returnUrl: string | null;
  configurationId: string | null;
  /** True when an expired link recovers through an email login (`after_expiration.customer_login`). */
  recoversAfterExpiry: boolean;
}

export const CUSTOMER_UPDATE_FIELDS = ['address', 'email', 'name', 'phone', 'shipping', 'tax_id'] as const;
export const CANCELLATION_REASONS = ['customer_service', 'low_quality', 'missing_features', 'other', 'switched_service', 'too_complex', 'too_expensive', 'unused'] as const;
export const SUBSCRIPTION_UPDATE_FIELDS = ['price', 'promotion_code', 'quantity'] as const;
export const PRORATION_BEHAVIORS = ['always_invoice', 'create_prorations', 'none'] as const;

export interface PortalFeatures {
  customerUpdate: { enabled: boolean; allowedUpdates: string[] };
  invoiceHistory: { enabled: boolean };
  paymentMethodUpdate: { enabled: boolean };
  subscriptionCancel: {
    enabled: boolean;
    mode: string;
    prorationBehavior: string;
    cancellationReason: { enabled: boolean; options: string[] };
  };
  subscriptionPause: { enabled: boolean };
  subscriptionUpdate: {
    enabled: boolean;
    defaultAllowedUpdates: string[];
    prorationBehavior: string;
    products: Array<{ product: string; prices: string[] }>;
  };
}

export interface PortalConfigurationView {
  id: string;
  name: string | null;
  active: boolean;
  /** Stripe's own default for the account (set in the Dashboard; the API cannot change it). */
  isDefault: boolean;
  /** The configuration this console passes when it creates links (Settings → Customer portal). */
  isConsoleDefault: boolean;
  defaultReturnUrl: string | null;
  businessProfile: { headline: string | null; privacyPolicyUrl: string | null; termsOfServiceUrl: string | null };
  features: PortalFeatures;
  /** The shareable login page: `url` is set by Stripe when enabled. */
  loginPage: { enabled: boolean; url: string | null };
  created: number;
  updated: number;
  /** Demo workspace: kept locally, never sent to Stripe. */
  simulated: boolean;
}

export interface PortalSettings {
  accountId: string;
  returnUrl: string | null;
  defaultConfigurationId: string | null;
}

const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'Must be a full http(s) URL, e.g. https://example.com/account');

const subscriptionItemId = z.string().regex(/^si_[A-Za-z0-9]{1,255}$/, 'A subscription item id looks like si_…');
const priceId = z.string().regex(/^price_[A-Za-z0-9]{1,255}$/, 'A price id looks like price_…');
const productId = z.string().regex(/^prod_[A-Za-z0-9]{1,255}$/, 'A product id looks like prod_…');

const featuresInput = z
  .object({
    customerUpdate: z.object({ enabled: z.boolean(), allowedUpdates: z.array(z.enum(CUSTOMER_UPDATE_FIELDS)).max(6).optional() }).strict(),
    invoiceHistory: z.object({ enabled: z.boolean() }).strict(),
    paymentMethodUpdate: z.object({ enabled: z.boolean() }).strict(),
    subscriptionCancel: z
      .object({
        enabled: z.boolean(),
        mode: z.enum(['at_period_end', 'immediately']).optional(),
        prorationBehavior: z.enum(PRORATION_BEHAVIORS).optional(),
        cancellationReason: z.object({ enabled: z.boolean(), options: z.array(z.enum(CANCELLATION_REASONS)).max(8) }).strict().optional(),
      })
      .strict(),
    subscriptionPause: z.object({ enabled: z.boolean() }).strict(),
    subscriptionUpdate: z
      .object({
        enabled: z.boolean(),
        defaultAllowedUpdates: z.array(z.enum(SUBSCRIPTION_UPDATE_FIELDS)).max(3).optional(),
        prorationBehavior: z.enum(PRORATION_BEHAVIORS).optional(),
        products: z.array(z.object({ product: productId, prices: z.array(priceId).min(1).max(50) }).strict()).max(10).optional(),
      })
      .strict(),
  })
  .partial()
  .strict();
export type PortalFeaturesInput = z.input<typeof featuresInput>;

const businessProfileInput = z
  .object({
    headline: shortText(60).nullable(),
    privacyPolicyUrl: httpUrl.nullable(),
    termsOfServiceUrl: httpUrl.nullable(),
  })
  .partial()
  .strict();

const configurationFields = {
  name: shortText(256).nullable().optional(),
  businessProfile: businessProfileInput.optional(),
  defaultReturnUrl: httpUrl.nullable().optional(),
  features: featuresInput.optional(),
  loginPageEnabled: z.boolean().optional(),
};

export const createPortalLinkInput = z
  .object({
    customerId,
    flow: z.enum(PORTAL_FLOWS).default('home'),
    /** Required by the subscription flows unless the customer has exactly one that fits. */
    subscriptionId: subscriptionId.optional(),
    /** Overrides the account's return URL for this link. */
    returnUrl: httpUrl.optional(),
    configurationId: portalConfigurationId.optional(),
    /** subscription_update_confirm: the change the customer confirms. */
    items: z.array(z.object({ id: subscriptionItemId, price: priceId.optional(), quantity: z.number().int().min(0).max(1_000_000).optional() }).strict()).min(1).max(20).optional(),
    /** One per click: a repeated click (double submit, retry) returns the same link. */
    idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'An idempotency key is 8–100 letters, digits, - or _').optional(),
  })
  .strict();

export const portalCalls = {
  /** Creates a billing portal session (simulated in the demo workspace), stores it and audits it. */
  'portal.createLink': call<PortalLinkRecord>()(createPortalLinkInput),
  /** Links of one customer, or the most recent across customers (the "Portal links" page). */
  'portal.history': call<PortalLinkRecord[]>()(
    z.object({ customerId: customerId.optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
  ),
  'portal.configurations.list': call<PortalConfigurationView[]>()(z.object({}).strict()),
  'portal.configurations.create': call<PortalConfigurationView>()(
    z.object({ ...configurationFields, features: featuresInput, makeConsoleDefault: z.boolean().optional() }).strict(),
  ),
  'portal.configurations.update': call<PortalConfigurationView>()(
    z.object({ id: portalConfigurationId, active: z.boolean().optional(), ...configurationFields }).strict(),
  ),
  'portal.settings.get': call<PortalSettings>()(z.object({}).strict()),
  /** `null` clears a value; an omitted field is left as it is. */
  'portal.settings.set': call<PortalSettings>()(
    z.object({ returnUrl: httpUrl.nullable().optional(), defaultConfigurationId: portalConfigurationId.nullable().optional() }).strict(),
  ),
};
