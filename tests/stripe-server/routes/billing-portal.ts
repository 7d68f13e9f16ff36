import crypto from 'node:crypto';
import type Stripe from 'stripe';
import { invalidRequest, resourceMissing } from '../errors';
import type { FormObject, FormValue } from '../form';
import { paginate } from '../list';
import { allowOnly, arr, bool, int, metadata, nullableStr, obj, oneOf, str } from '../params';
import type { RouteModule } from '../router';
import type { StripeObject } from '../shapes';
import type { StripeStore } from '../store';

// Customer Portal: billing_portal.sessions (create) and billing_portal.configurations (list,
// retrieve, create, update), in the shape of the pinned API version (2026-10-28.endive), checked
// the way Stripe checks them. Each request's parsed parameters and idempotency key are recorded
// (`portalRequests(store)`) so tests assert exactly what the client sent.

export interface PortalRequestRecord {
  method: string;
  path: string;
  params: FormObject;
  idempotencyKey: string | null;
}

const records = new WeakMap<StripeStore, PortalRequestRecord[]>();

/** Every billing-portal request this store answered (or refused), oldest first. */
export function portalRequests(store: StripeStore): PortalRequestRecord[] {
  let list = records.get(store);
  if (!list) records.set(store, (list = []));
  return list;
}

/** Stripe's answer when the account never saved its portal settings and no configuration is passed. */
export const NO_DEFAULT_CONFIGURATION_MESSAGE =
  'You can’t create a portal session in test mode until you save your customer portal settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal.';

const FLOW_TYPES = ['customer_update', 'payment_method_update', 'subscription_cancel', 'subscription_pause', 'subscription_update', 'subscription_update_confirm'] as const;
const SUBSCRIPTION_FLOWS = ['subscription_cancel', 'subscription_pause', 'subscription_update', 'subscription_update_confirm'] as const;
const AFTER_COMPLETION = ['hosted_confirmation', 'portal_homepage', 'redirect'] as const;
const CUSTOMER_UPDATES = ['address', 'email', 'name', 'phone', 'shipping', 'tax_id'] as const;
const CANCEL_REASONS = ['customer_service', 'low_quality', 'missing_features', 'other', 'switched_service', 'too_complex', 'too_expensive', 'unused'] as const;
const PRORATION = ['always_invoice', 'create_prorations', 'none'] as const;
const SUB_UPDATES = ['price', 'promotion_code', 'quantity'] as const;

/** Which configuration feature each deep link needs switched on. */
const FLOW_FEATURE: Partial<Record<(typeof FLOW_TYPES)[number], string>> = {
  payment_method_update: 'payment_method_update',
  subscription_cancel: 'subscription_cancel',
  subscription_pause: 'subscription_pause',
  subscription_update: 'subscription_update',
  subscription_update_confirm: 'subscription_update',
  customer_update: 'customer_update',
};

function randomToken(n = 24): string {
  return crypto.randomBytes(n).toString('base64url').replace(/[-_]/g, 'x').slice(0, n);
}

function httpUrl(params: FormObject, name: string, param = name): string | null | undefined {
  const v = nullableStr(params, name);
  if (v == null) return v;
  try {
    const u = new URL(v);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
  } catch {
    throw invalidRequest(`Not a valid URL`, param);
  }
  return v;
}

function enumList<T extends string>(params: FormObject, name: string, values: readonly T[], param: string): T[] | undefined {
  if (params[name] === '') return [];
  const list = arr(params, name);
  if (!list) return undefined;
  return list.map((v, i) => {
    if (typeof v !== 'string' || !values.includes(v as T)) throw invalidRequest(`Invalid ${param}[${i}]: must be one of ${values.join(', ')}`, `${param}[${i}]`);
    return v as T;
  });
}

// ---- configurations ------------------------------------------------------------------------------

type PortalFeatures = Stripe.BillingPortal.Configuration.Features;

function defaultFeatures(): PortalFeatures {
  return {
    customer_update: { allowed_updates: [], enabled: false },
    invoice_history: { enabled: false },
    payment_method_update: { enabled: false, payment_method_configuration: null },
    subscription_cancel: { cancellation_reason: { enabled: false, feedback_options: null, options: [] }, enabled: false, mode: 'at_period_end', proration_behavior: 'none' },
    subscription_pause: { duration: { interval_options: [], type: 'indefinite' }, enabled: false },
    subscription_update: {
      billing_cycle_anchor: null,
      default_allowed_updates: [],
      enabled: false,
      products: [],
      proration_behavior: 'none',
      schedule_at_period_end: { conditions: [] },
      trial_update_behavior: 'end_trial',
    },
  };
}

/** Applies `features[...]` form params onto a features object (create and update share this). */
function applyFeatures(current: PortalFeatures, raw: FormObject): PortalFeatures {
  allowOnly(raw, ['customer_update', 'invoice_history', 'payment_method_update', 'subscription_cancel', 'subscription_pause', 'subscription_update']);
  const f = structuredClone(current);
  const cu = obj(raw, 'customer_update');
  if (cu) {
    allowOnly(cu, ['allowed_updates', 'enabled']);
    const allowed = enumList(cu, 'allowed_updates', CUSTOMER_UPDATES, 'features[customer_update][allowed_updates]');
    f.customer_update = { enabled: bool(cu, 'enabled') ?? f.customer_update.enabled, allowed_updates: allowed ?? f.customer_update.allowed_updates };
  }
  const ih = obj(raw, 'invoice_history');
  if (ih) {
    allowOnly(ih, ['enabled']);
    f.invoice_history = { enabled: requiredBool(ih, 'enabled', 'features[invoice_history][enabled]') };
  }
  const pmu = obj(raw, 'payment_method_update');
  if (pmu) {
    allowOnly(pmu, ['enabled', 'payment_method_configuration']);
    f.payment_method_update = { enabled: requiredBool(pmu, 'enabled', 'features[payment_method_update][enabled]'), payment_method_configuration: nullableStr(pmu, 'payment_method_configuration') ?? null };
  }
  const sc = obj(raw, 'subscription_cancel');
  if (sc) {
    allowOnly(sc, ['cancellation_reason', 'enabled', 'mode', 'proration_behavior']);
    const next = { ...f.subscription_cancel };
    next.enabled = bool(sc, 'enabled') ?? next.enabled;
    next.mode = oneOf(sc, 'mode', ['at_period_end', 'immediately'] as const) ?? next.mode;
    next.proration_behavior = oneOf(sc, 'proration_behavior', PRORATION) ?? next.proration_behavior;
    const reason = obj(sc, 'cancellation_reason');
    if (reason) {
      allowOnly(reason, ['enabled', 'options', 'feedback_options']);
      const enabled = requiredBool(reason, 'enabled', 'features[subscription_cancel][cancellation_reason][enabled]');
      const options = enumList(reason, 'options', CANCEL_REASONS, 'features[subscription_cancel][cancellation_reason][options]') ?? next.cancellation_reason.options;
      if (enabled && options.length === 0) {
        throw invalidRequest('You must provide at least one cancellation reason option when cancellation reasons are enabled.', 'features[subscription_cancel][cancellation_reason][options]');
      }
      next.cancellation_reason = { ...next.cancellation_reason, enabled, options };
    }
    f.subscription_cancel = next;
  }
  const sp = obj(raw, 'subscription_pause');
  if (sp) {
    allowOnly(sp, ['enabled', 'duration']);
    f.subscription_pause = { ...f.subscription_pause, enabled: bool(sp, 'enabled') ?? f.subscription_pause.enabled };
  }
  const su = obj(raw, 'subscription_update');
  if (su) {
    allowOnly(su, ['billing_cycle_anchor', 'default_allowed_updates', 'enabled', 'products', 'proration_behavior', 'schedule_at_period_end', 'trial_update_behavior']);
    const next = { ...f.subscription_update };
    next.enabled = bool(su, 'enabled') ?? next.enabled;
    next.default_allowed_updates = enumList(su, 'default_allowed_updates', SUB_UPDATES, 'features[subscription_update][default_allowed_updates]') ?? next.default_allowed_updates;
    next.proration_behavior = oneOf(su, 'proration_behavior', PRORATION) ?? next.proration_behavior;
    if (su.products === '') next.products = [];
    else {
      const products = arr(su, 'products');
      if (products) {
        next.products = products.map((p: FormValue, i: number) => {
          if (typeof p !== 'object' || Array.isArray(p)) throw invalidRequest(`Invalid features[subscription_update][products][${i}]`, `features[subscription_update][products][${i}]`);
          allowOnly(p, ['product', 'prices', 'adjustable_quantity']);
          const product = str(p, 'product', { required: true })!;
          const prices = arr(p, 'prices');
          if (!prices?.length) throw invalidRequest('Missing required param: features[subscription_update][products][0][prices].', `features[subscription_update][products][${i}][prices]`);
          return { adjustable_quantity: { enabled: false, maximum: null, minimum: 1 }, prices: prices.map(String), product };
        });
      }
    }
    f.subscription_update = next;
  }
  return f;
}

function requiredBool(params: FormObject, name: string, param: string): boolean {
  const v = bool(params, name);
  if (v === undefined) throw invalidRequest(`Missing required param: ${param}.`, param);
  return v;
}

function applyBusinessProfile(current: Record<string, string | null>, raw: FormObject): Record<string, string | null> {
  allowOnly(raw, ['headline', 'privacy_policy_url', 'terms_of_service_url']);
  const headline = nullableStr(raw, 'headline');
  if (headline && headline.length > 60) throw invalidRequest('Invalid business_profile[headline]: must be at most 60 characters', 'business_profile[headline]');
  const privacy = httpUrl(raw, 'privacy_policy_url', 'business_profile[privacy_policy_url]');
  const terms = httpUrl(raw, 'terms_of_service_url', 'business_profile[terms_of_service_url]');
  return {
    headline: headline !== undefined ? headline : current.headline,
    privacy_policy_url: privacy !== undefined ? privacy : current.privacy_policy_url,
    terms_of_service_url: terms !== undefined ? terms : current.terms_of_service_url,
  };
}

function loginPage(current: { enabled: boolean; url: string | null }, raw: FormObject | null | undefined): { enabled: boolean; url: string | null } {
  if (!raw) return current;
  allowOnly(raw, ['enabled']);
  const enabled = requiredBool(raw, 'enabled', 'login_page[enabled]');
  if (!enabled) return { enabled: false, url: null };
  return { enabled: true, url: current.url ?? `https://billing.stripe.com/p/login/test_${randomToken()}` };
}

export interface PortalConfigurationSeed {
  isDefault?: boolean;
  name?: string | null;
  defaultReturnUrl?: string | null;
  /** Features in API shape, merged over "everything off". */
  features?: { [K in keyof PortalFeatures]?: Partial<PortalFeatures[K]> };
}

/** A configuration made directly in the store (tests: "the account saved its portal settings"). */
export function seedPortalConfiguration(store: StripeStore, seed: PortalConfigurationSeed = {}): StripeObject {
  const now = store.now();
  const features = defaultFeatures();
  for (const k of Object.keys(seed.features ?? {}) as (keyof PortalFeatures)[]) Object.assign(features[k], seed.features?.[k]);
  if (seed.isDefault) for (const c of store.all('billing_portal.configuration')) if (c.is_default) store.commit({ ...c, is_default: false }, null);
  return store.commit(
    {
      id: store.newId('bpc'),
      object: 'billing_portal.configuration',
      active: true,
      application: null,
      business_profile: { headline: null, privacy_policy_url: null, terms_of_service_url: null },
      created: now,
      default_return_url: seed.defaultReturnUrl ?? null,
      features,
      is_default: seed.isDefault ?? false,
      livemode: false,
      login_page: { enabled: false, url: null },
      metadata: {},
      name: seed.name ?? null,
      updated: now,
    },
    'billing_portal.configuration.created',
  );
}

function createConfiguration(store: StripeStore, params: FormObject): StripeObject {
  allowOnly(params, ['features', 'business_profile', 'default_return_url', 'login_page', 'metadata', 'name']);
  const features = obj(params, 'features');
  if (!features) throw invalidRequest('Missing required param: features.', 'features');
  const now = store.now();
  const config: StripeObject = {
    id: store.newId('bpc'),
    object: 'billing_portal.configuration',
    active: true,
    application: null,
    business_profile: applyBusinessProfile({ headline: null, privacy_policy_url: null, terms_of_service_url: null }, obj(params, 'business_profile') ?? {}),
    created: now,
    default_return_url: httpUrl(params, 'default_return_url') ?? null,
    features: applyFeatures(defaultFeatures(), features),
    is_default: false,
    livemode: false,
    login_page: loginPage({ enabled: false, url: null }, obj(params, 'login_page')),
    metadata: (metadata(params) as Record<string, string>) ?? {},
    name: nullableStr(params, 'name') ?? null,
    updated: now,
  };
  return store.commit(config, 'billing_portal.configuration.created');
}

function updateConfiguration(store: StripeStore, id: string, params: FormObject): StripeObject {
  allowOnly(params, ['active', 'business_profile', 'default_return_url', 'features', 'login_page', 'metadata', 'name']);
  const before = store.require('billing_portal.configuration', id, 'configuration');
  const next: StripeObject = { ...before };
  const active = bool(params, 'active');
  if (active === false && before.is_default) throw invalidRequest('You cannot deactivate the default configuration.', 'active');
  if (active !== undefined) next.active = active;
  const bp = obj(params, 'business_profile');
  if (bp) next.business_profile = applyBusinessProfile(before.business_profile, bp);
  const ret = httpUrl(params, 'default_return_url');
  if (ret !== undefined) next.default_return_url = ret;
  const features = obj(params, 'features');
  if (features) next.features = applyFeatures(before.features, features);
  next.login_page = loginPage(before.login_page, obj(params, 'login_page'));
  const name = nullableStr(params, 'name');
  if (name !== undefined) next.name = name;
  const md = metadata(params);
  if (md) next.metadata = Object.fromEntries(Object.entries({ ...before.metadata, ...md }).filter(([, v]) => v !== null));
  next.updated = store.now();
  return store.commit(next, 'billing_portal.configuration.updated');
}

// ---- sessions ------------------------------------------------------------------------------------

function createSession(store: StripeStore, params: FormObject): StripeObject {
  allowOnly(params, ['customer', 'customer_account', 'configuration', 'flow_data', 'locale', 'on_behalf_of', 'return_url', 'after_expiration']);
  const customerId = str(params, 'customer', { required: true })!;
  const customer = store.get('customer', customerId);
  if (!customer || (customer as { deleted?: boolean }).deleted) throw resourceMissing('customer', customerId, 'customer');

  const configurationId = str(params, 'configuration');
  let config: StripeObject | undefined;
  if (configurationId) {
    config = store.require('billing_portal.configuration', configurationId, 'configuration', 'configuration');
    if (!config.active) throw invalidRequest('The configuration provided is not active.', 'configuration');
  } else {
    config = store.all('billing_portal.configuration').find((c) => c.is_default);
    if (!config) throw invalidRequest(NO_DEFAULT_CONFIGURATION_MESSAGE);
  }

  const returnUrl = httpUrl(params, 'return_url') ?? config.default_return_url ?? null;
  if (!returnUrl) throw invalidRequest('Missing required param: return_url. Provide a return_url or set a default_return_url on the configuration.', 'return_url');

  const afterExpirationRaw = obj(params, 'after_expiration');
  let afterExpiration: StripeObject['after_expiration'] = null;
  if (afterExpirationRaw) {
    allowOnly(afterExpirationRaw, ['type', 'customer_login']);
    const type = oneOf(afterExpirationRaw, 'type', ['customer_login'] as const);
    if (!type) throw invalidRequest('Missing required param: after_expiration[type].', 'after_expiration[type]');
    const login = obj(afterExpirationRaw, 'customer_login');
    if (login) allowOnly(login, ['expires_at']);
    const expiresAt = login ? (int(login, 'expires_at', { min: 0 }) ?? null) : null;
    if (expiresAt !== null && expiresAt <= store.now()) throw invalidRequest('after_expiration[customer_login][expires_at] must be in the future.', 'after_expiration[customer_login][expires_at]');
    afterExpiration = { customer_login: { expires_at: expiresAt }, type };
  }

  const flow = flowFrom(store, params, customerId, config);
  const id = store.newId('bps');
  return store.commit(
    {
      id,
      object: 'billing_portal.session',
      after_expiration: afterExpiration,
      configuration: config.id,
      created: store.now(),
      customer: customerId,
      customer_account: null,
      flow,
      livemode: false,
      locale: str(params, 'locale') ?? null,
      on_behalf_of: str(params, 'on_behalf_of') ?? null,
      return_url: returnUrl,
      url: `https://billing.stripe.com/p/session/test_${randomToken(32)}`,
    },
    'billing_portal.session.created',
  );
}

function flowFrom(store: StripeStore, params: FormObject, customerId: string, config: StripeObject): Record<string, unknown> | null {
  const fd = obj(params, 'flow_data');
  if (!fd) return null;
  allowOnly(fd, ['type', 'after_completion', ...FLOW_TYPES.filter((t) => t !== 'payment_method_update' && t !== 'customer_update')]);
  const type = oneOf(fd, 'type', FLOW_TYPES);
  if (!type) throw invalidRequest('Missing required param: flow_data[type].', 'flow_data[type]');
  const feature = FLOW_FEATURE[type];
  if (feature && !config.features[feature]?.enabled) {
    throw invalidRequest(`The \`${type}\` flow requires the \`${feature}\` feature to be enabled in the portal configuration (${config.id}).`, 'flow_data[type]');
  }
  for (const other of SUBSCRIPTION_FLOWS) {
    if (other !== type && fd[other] !== undefined) throw invalidRequest(`flow_data[${other}] can only be set when flow_data[type] is ${other}.`, `flow_data[${other}]`);
  }

  const ac = obj(fd, 'after_completion');
  let afterCompletion: Record<string, unknown> = { hosted_confirmation: null, redirect: null, type: 'portal_homepage' };
  if (ac) {
    allowOnly(ac, ['type', 'redirect', 'hosted_confirmation']);
    const acType = oneOf(ac, 'type', AFTER_COMPLETION);
    if (!acType) throw invalidRequest('Missing required param: flow_data[after_completion][type].', 'flow_data[after_completion][type]');
    const redirect = obj(ac, 'redirect');
    if (acType === 'redirect') {
      if (!redirect) throw invalidRequest('Missing required param: flow_data[after_completion][redirect].', 'flow_data[after_completion][redirect]');
      allowOnly(redirect, ['return_url']);
      const url = httpUrl(redirect, 'return_url', 'flow_data[after_completion][redirect][return_url]');
      if (!url) throw invalidRequest('Missing required param: flow_data[after_completion][redirect][return_url].', 'flow_data[after_completion][redirect][return_url]');
      afterCompletion = { hosted_confirmation: null, redirect: { return_url: url }, type: acType };
    } else {
      const hc = obj(ac, 'hosted_confirmation');
      afterCompletion = { hosted_confirmation: acType === 'hosted_confirmation' ? { custom_message: hc ? (nullableStr(hc, 'custom_message') ?? null) : null } : null, redirect: null, type: acType };
    }
  }

  const out: Record<string, unknown> = {
    after_completion: afterCompletion,
    customer_update: type === 'customer_update' ? {} : null,
    subscription_cancel: null,
    subscription_pause: null,
    subscription_update: null,
    subscription_update_confirm: null,
    type,
  };
  if ((SUBSCRIPTION_FLOWS as readonly string[]).includes(type)) {
    const nested = obj(fd, type);
    if (!nested) throw invalidRequest(`Missing required param: flow_data[${type}].`, `flow_data[${type}]`);
    const subId = str(nested, 'subscription', { required: true })!;
    const sub = store.get('subscription', subId);
    if (!sub) throw resourceMissing('subscription', subId, `flow_data[${type}][subscription]`);
    if (sub.customer !== customerId) throw invalidRequest(`The subscription ${subId} does not belong to the customer ${customerId}.`, `flow_data[${type}][subscription]`);
    if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
      throw invalidRequest(`You cannot create a \`${type}\` flow for a subscription with status \`${sub.status}\`.`, `flow_data[${type}][subscription]`);
    }
    if (type === 'subscription_update_confirm') {
      allowOnly(nested, ['subscription', 'items', 'discounts']);
      const items = arr(nested, 'items');
      if (!items?.length) throw invalidRequest('Missing required param: flow_data[subscription_update_confirm][items].', 'flow_data[subscription_update_confirm][items]');
      const itemIds = new Set((sub.items?.data ?? []).map((i: StripeObject) => i.id));
      out.subscription_update_confirm = {
        discounts: null,
        items: items.map((raw, i) => {
          if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidRequest(`Invalid flow_data[subscription_update_confirm][items][${i}]`);
          allowOnly(raw, ['id', 'price', 'quantity']);
          const itemId = str(raw, 'id', { required: true })!;
          if (!itemIds.has(itemId)) throw invalidRequest(`The subscription item ${itemId} does not belong to subscription ${subId}.`, `flow_data[subscription_update_confirm][items][${i}][id]`);
          const price = str(raw, 'price');
          if (price) store.require('price', price, 'price', `flow_data[subscription_update_confirm][items][${i}][price]`);
          return { id: itemId, price: price ?? null, quantity: int(raw, 'quantity', { min: 0 }) };
        }),
        subscription: subId,
      };
    } else {
      allowOnly(nested, type === 'subscription_cancel' ? ['subscription', 'retention'] : ['subscription']);
      out[type] = type === 'subscription_cancel' ? { retention: null, subscription: subId } : { subscription: subId };
    }
  }
  return out;
}

function recorded(handle: RouteModule['routes'][number]['handle']): RouteModule['routes'][number]['handle'] {
  return (req) => {
    portalRequests(req.store).push({ method: req.method, path: req.path, params: structuredClone(req.params), idempotencyKey: req.idempotencyKey });
    return handle(req);
  };
}

export const billingPortalRoutes: RouteModule = {
  name: 'billing_portal',
  routes: [
    { method: 'POST', path: '/v1/billing_portal/sessions', handle: recorded(({ store, params }) => createSession(store, params)) },
    {
      method: 'GET',
      path: '/v1/billing_portal/configurations',
      handle: recorded(({ store, params }) => {
        allowOnly(params, ['active', 'is_default'], { list: true });
        const active = bool(params, 'active');
        const isDefault = bool(params, 'is_default');
        const filter = active !== undefined || isDefault !== undefined ? (c: StripeObject) => (active === undefined || c.active === active) && (isDefault === undefined || c.is_default === isDefault) : undefined;
        return paginate(store.collection('billing_portal.configuration'), params, { url: '/v1/billing_portal/configurations', kind: 'configuration', filter });
      }),
    },
    { method: 'GET', path: '/v1/billing_portal/configurations/:id', handle: recorded(({ store, pathParams }) => store.require('billing_portal.configuration', pathParams.id, 'configuration')) },
    { method: 'POST', path: '/v1/billing_portal/configurations', handle: recorded(({ store, params }) => createConfiguration(store, params)) },
    { method: 'POST', path: '/v1/billing_portal/configurations/:id', handle: recorded(({ store, pathParams, params }) => updateConfiguration(store, pathParams.id, params)) },
  ],
};
