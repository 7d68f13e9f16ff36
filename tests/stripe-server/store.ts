import { TEST_PAYMENT_METHODS, NON_RETRYABLE, declineMessage } from './cards';
import { ServerClock } from './clock';
import { invalidRequest, resourceMissing, stateError, StripeApiError } from './errors';
import * as shapes from './shapes';
import type { CardInit, Metadata, PaymentError, StripeObject } from './shapes';
import { diffPrevious, mergePatch, StoreCore } from './store-core';

/* eslint-disable @typescript-eslint/no-explicit-any -- the stand-in server builds and patches objects of every Stripe type generically; their shapes are checked against Stripe's own fixtures, not the SDK types */

const DAY = 86_400;
const INTERVAL_SECONDS: Record<string, number> = { day: DAY, week: 7 * DAY, month: 30 * DAY, year: 365 * DAY };
/** Smart Retries default: 8 tries. */
const MAX_AUTOMATIC_ATTEMPTS = 8;

export type PayOutcome = { declineCode: string; adviceCode?: string | null; code?: string; message?: string } | 'succeed';

export interface CreateCustomerParams {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  description?: string | null;
  currency?: string | null;
  balance?: number;
  address?: Record<string, string | null> | null;
  metadata?: Metadata;
  /** Attach this payment method (an id or a test token like pm_card_visa) and make it the default. */
  paymentMethod?: string;
  created?: number;
}

export interface CreateSubscriptionParams {
  customer: string;
  items: Array<{ price: string; quantity?: number }>;
  defaultPaymentMethod?: string | null;
  collectionMethod?: 'charge_automatically' | 'send_invoice';
  daysUntilDue?: number | null;
  trialPeriodDays?: number;
  trialEnd?: number | null;
  cancelAtPeriodEnd?: boolean;
  metadata?: Metadata;
  description?: string | null;
  paymentBehavior?: 'allow_incomplete' | 'error_if_incomplete' | 'default_incomplete';
}

export interface CreateInvoiceParams {
  customer: string;
  subscription?: string | null;
  collectionMethod?: 'charge_automatically' | 'send_invoice';
  daysUntilDue?: number | null;
  dueDate?: number | null;
  description?: string | null;
  metadata?: Metadata;
  autoAdvance?: boolean;
  defaultPaymentMethod?: string | null;
  includePendingItems?: boolean;
  currency?: string;
  /** Shortcut for tests: one line of this amount (creates an invoice item). */
  amount?: number;
  billingReason?: string;
}

/**
 * The stateful Stripe account: customers, payment methods, catalog, subscriptions, invoices and
 * their payments. HTTP routes call these methods; tests call them directly. Each change commits a
 * new object version and emits the event Stripe would.
 */
export class StripeStore extends StoreCore {
  readonly accountObject: StripeObject;
  private readonly nextPayOutcome = new Map<string, PayOutcome>();
  private readonly customerDeclines = new Map<string, PaymentError>();
  private readonly paymentMethodDeclines = new Map<string, PaymentError>();

  constructor(opts: { clock?: ServerClock; accountId?: string; accountName?: string } = {}) {
    super(opts.clock);
    this.accountObject = shapes.account({
      id: opts.accountId ?? 'acct_1TestServer000001',
      name: opts.accountName ?? 'Test server account',
      email: 'billing@example.test',
      created: this.now() - 400 * DAY,
    });
  }

  // ---- test controls -------------------------------------------------------------------------

  /** The next `pay` of this invoice succeeds or declines this way (then the rule is used up). */
  setNextPayOutcome(invoiceId: string, outcome: PayOutcome): void {
    this.nextPayOutcome.set(invoiceId, outcome);
  }

  /** Every charge of this customer declines (null: back to normal). */
  setCustomerDecline(customerId: string, decline: PaymentError | null): void {
    if (decline) this.customerDeclines.set(customerId, decline);
    else this.customerDeclines.delete(customerId);
  }

  /** Every charge on this payment method declines (null: back to normal). */
  setPaymentMethodDecline(paymentMethodId: string, decline: PaymentError | null): void {
    if (decline) this.paymentMethodDeclines.set(paymentMethodId, decline);
    else this.paymentMethodDeclines.delete(paymentMethodId);
  }

  // ---- customers -----------------------------------------------------------------------------

  createCustomer(p: CreateCustomerParams = {}): StripeObject {
    const id = this.newId('cus');
    const created = p.created ?? this.now();
    const c = shapes.customer({
      id,
      created,
      name: p.name,
      email: p.email,
      phone: p.phone,
      description: p.description,
      currency: p.currency,
      balance: p.balance,
      address: shapes.address(p.address ?? null),
      metadata: p.metadata,
    });
    this.commit(c, 'customer.created');
    if (p.paymentMethod) {
      const pm = this.attachPaymentMethod(p.paymentMethod, id);
      return this.updateCustomer(id, { invoice_settings: { default_payment_method: pm.id } });
    }
    return c;
  }

  customer(id: string): StripeObject {
    return this.require('customer', id, 'customer');
  }

  /** A patch in API shape (`{email}`, `{invoice_settings: {default_payment_method}}`, `{metadata}`). */
  updateCustomer(id: string, patch: Record<string, unknown>): StripeObject {
    const before = this.customer(id);
    if (patch.address !== undefined) patch = { ...patch, address: patch.address === null ? null : shapes.address({ ...(before.address ?? {}), ...(patch.address as object) }) };
    const dpm = (patch.invoice_settings as { default_payment_method?: string | null } | undefined)?.default_payment_method;
    if (dpm) {
      const pm = this.require('payment_method', dpm, 'PaymentMethod', 'invoice_settings[default_payment_method]');
      if (pm.customer !== id) throw invalidRequest(`The customer does not have a payment method with the ID ${dpm}. The payment method must be attached to the customer.`, 'invoice_settings[default_payment_method]');
    }
    const after = mergePatch(before, patch);
    const prev = diffPrevious(before, after);
    if (!prev) return before;
    return this.commit(after, 'customer.updated', prev);
  }

  /** Deletes the customer: their subscriptions are canceled first, as Stripe does. */
  deleteCustomer(id: string): { id: string; object: 'customer'; deleted: true } {
    const c = this.customer(id);
    for (const subId of this.owned('subscription', id)) {
      const s = this.get('subscription', subId);
      if (s && s.status !== 'canceled' && s.status !== 'incomplete_expired') this.cancelSubscription(subId);
    }
    this.remove('customer', id);
    this.emit('customer.deleted', c);
    return { id, object: 'customer', deleted: true };
  }

  // ---- payment methods -----------------------------------------------------------------------

  createPaymentMethod(p: { card?: CardInit; token?: string; metadata?: Metadata; billingName?: string | null; billingEmail?: string | null } = {}): StripeObject {
    const test = p.token ? TEST_PAYMENT_METHODS[p.token] : undefined;
    if (p.token && !test) throw invalidRequest(`No such token: '${p.token}'`, 'card[token]', 'resource_missing');
    const pm = shapes.paymentMethod({ id: this.newId('pm'), created: this.now(), card: { ...(test?.card ?? {}), ...(p.card ?? {}) }, metadata: p.metadata, billingName: p.billingName, billingEmail: p.billingEmail });
    this.commit(pm, null);
    if (test?.decline) this.paymentMethodDeclines.set(pm.id, test.decline);
    return pm;
  }

  /** Attaches an existing payment method, or a new one made from a test id such as pm_card_visa. */
  attachPaymentMethod(pmIdOrTest: string, customerId: string): StripeObject {
    this.customer(customerId);
    let pm = TEST_PAYMENT_METHODS[pmIdOrTest] ? this.createPaymentMethod({ token: pmIdOrTest }) : this.require('payment_method', pmIdOrTest, 'PaymentMethod');
    if (pm.customer && pm.customer !== customerId) throw invalidRequest('The payment method you provided has already been attached to a customer.', 'payment_method', 'payment_method_unexpected_state');
    if (pm.customer === customerId) return pm;
    const before = pm;
    pm = { ...pm, customer: customerId };
    this.index('payment_method', customerId, pm.id);
    return this.commit(pm, 'payment_method.attached', diffPrevious(before, pm));
  }

  detachPaymentMethod(pmId: string): StripeObject {
    const before = this.require('payment_method', pmId, 'PaymentMethod');
    const customerId = before.customer as string | null;
    if (!customerId) throw invalidRequest('The payment method you provided is not attached to a customer so detachment is impossible.', 'payment_method', 'payment_method_unexpected_state');
    const after = { ...before, customer: null };
    this.unindex('payment_method', customerId, pmId);
    this.commit(after, 'payment_method.detached', { customer: customerId });
    const c = this.get('customer', customerId);
    if (c && c.invoice_settings?.default_payment_method === pmId) this.updateCustomer(customerId, { invoice_settings: { default_payment_method: null } });
    return after;
  }

  updatePaymentMethod(pmId: string, patch: Record<string, unknown>): StripeObject {
    const before = this.require('payment_method', pmId, 'PaymentMethod');
    const after = mergePatch(before, patch);
    const prev = diffPrevious(before, after);
    return prev ? this.commit(after, 'payment_method.updated', prev) : before;
  }

  // ---- catalog -------------------------------------------------------------------------------

  createProduct(p: { name: string; description?: string | null; metadata?: Metadata }): StripeObject {
    return this.commit(shapes.product({ id: this.newId('prod'), created: this.now(), ...p }), 'product.created');
  }

  updateProduct(id: string, patch: Record<string, unknown>): StripeObject {
    const before = this.require('product', id, 'product');
    const after = { ...mergePatch(before, patch), updated: this.now() };
    return this.commit(after, 'product.updated', diffPrevious(before, after));
  }

  createPrice(p: { product: string; unitAmount: number; currency: string; interval?: 'day' | 'week' | 'month' | 'year' | null; intervalCount?: number; nickname?: string | null; metadata?: Metadata }): StripeObject {
    this.require('product', p.product, 'product', 'product');
    return this.commit(
      shapes.price({ id: this.newId('price'), created: this.now(), product: p.product, unit_amount: p.unitAmount, currency: p.currency.toLowerCase(), interval: p.interval, interval_count: p.intervalCount, nickname: p.nickname, metadata: p.metadata }),
      'price.created',
    );
  }

  // ---- subscriptions -------------------------------------------------------------------------

  subscriptionById(id: string): StripeObject {
    return this.require('subscription', id, 'subscription');
  }

  createSubscription(p: CreateSubscriptionParams): StripeObject {
    const cust = this.customer(p.customer);
    if (!p.items.length) throw invalidRequest('Missing required param: items.', 'items');
    const now = this.now();
    const id = this.newId('sub');
    const prices = p.items.map((i, n) => this.require('price', i.price, 'price', `items[${n}][price]`));
    const currency = prices[0].currency as string;
    if (prices.some((pr) => pr.currency !== currency)) throw invalidRequest('All prices on a subscription must have the same currency.', 'items');
    if (prices.some((pr) => !pr.recurring)) throw invalidRequest('The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.', 'items');
    if (p.defaultPaymentMethod) {
      const pm = this.require('payment_method', p.defaultPaymentMethod, 'PaymentMethod', 'default_payment_method');
      if (pm.customer !== cust.id) throw invalidRequest('The payment method must be attached to the customer.', 'default_payment_method');
    }
    const trialEnd = p.trialEnd ?? (p.trialPeriodDays ? now + p.trialPeriodDays * DAY : null);
    const periodEnd = (pr: StripeObject) => trialEnd ?? now + INTERVAL_SECONDS[pr.recurring.interval] * (pr.recurring.interval_count ?? 1);
    const items = prices.map((pr, n) =>
      shapes.subscriptionItem({ id: this.newId('si'), created: now, subscription: id, price: pr, quantity: p.items[n].quantity ?? 1, periodStart: now, periodEnd: periodEnd(pr) }),
    );
    let sub = shapes.subscription({
      id,
      created: now,
      customer: cust.id,
      currency,
      items,
      status: trialEnd ? 'trialing' : 'incomplete',
      collectionMethod: p.collectionMethod,
      daysUntilDue: p.collectionMethod === 'send_invoice' ? (p.daysUntilDue ?? 30) : null,
      cancelAtPeriodEnd: p.cancelAtPeriodEnd,
      trialStart: trialEnd ? now : null,
      trialEnd,
      defaultPaymentMethod: p.defaultPaymentMethod ?? null,
      metadata: p.metadata,
      description: p.description,
    });
    this.index('subscription', cust.id, id);
    this.commit(sub, 'customer.subscription.created');
    const inv = this.invoiceForPeriod(sub, 'subscription_create', !!trialEnd);
    sub = this.subscriptionById(id);
    if (trialEnd) return this.setSubscription(id, { latest_invoice: inv.id });
    if (sub.collection_method === 'send_invoice') return this.setSubscription(id, { status: 'active', latest_invoice: inv.id });
    this.setSubscription(id, { latest_invoice: inv.id });
    try {
      this.payInvoice(inv.id);
    } catch (err) {
      if (!(err instanceof StripeApiError) || err.status !== 402) throw err;
      if (p.paymentBehavior === 'error_if_incomplete') throw err;
    }
    return this.subscriptionById(id);
  }

  /** Writes fields of a subscription (internal transitions) with customer.subscription.updated. */
  private setSubscription(id: string, patch: Record<string, unknown>, eventType = 'customer.subscription.updated'): StripeObject {
    const before = this.subscriptionById(id);
    const after = { ...before, ...patch };
    const prev = diffPrevious(before, after);
    if (!prev) return before;
    return this.commit(after, eventType, prev);
  }

  /**
   * Update in API shape: cancel_at_period_end, cancel_at, pause_collection (null resumes),
   * default_payment_method, metadata, description, trial_end, items ([{id?, price?, quantity?, deleted?}]).
   */
  updateSubscription(id: string, patch: Record<string, any>): StripeObject {
    const before = this.subscriptionById(id);
    if (before.status === 'canceled') throw stateError('A canceled subscription can only update its cancellation_details and metadata.', 'resource_missing');
    const next: Record<string, unknown> = {};
    if (patch.cancel_at_period_end !== undefined) {
      next.cancel_at_period_end = Boolean(patch.cancel_at_period_end);
      next.cancel_at = patch.cancel_at_period_end ? Math.max(...before.items.data.map((i: StripeObject) => i.current_period_end)) : null;
    }
    if (patch.cancel_at !== undefined) {
      next.cancel_at = patch.cancel_at;
      if (patch.cancel_at !== null) next.cancel_at_period_end = false;
    }
    if (patch.pause_collection !== undefined) {
      const pc = patch.pause_collection;
      if (pc !== null && !['keep_as_draft', 'mark_uncollectible', 'void'].includes(pc.behavior)) throw invalidRequest('Invalid pause_collection[behavior]', 'pause_collection[behavior]');
      next.pause_collection = pc === null ? null : { behavior: pc.behavior, resumes_at: pc.resumes_at ?? null };
    }
    if (patch.default_payment_method !== undefined) {
      if (patch.default_payment_method) {
        const pm = this.require('payment_method', patch.default_payment_method, 'PaymentMethod', 'default_payment_method');
        if (pm.customer !== before.customer) throw invalidRequest('The payment method must be attached to the customer.', 'default_payment_method');
      }
      next.default_payment_method = patch.default_payment_method;
    }
    if (patch.description !== undefined) next.description = patch.description;
    if (patch.trial_end !== undefined) {
      const te = patch.trial_end === 'now' ? this.now() : patch.trial_end;
      next.trial_end = te;
      if (before.status === 'trialing' && te <= this.now()) next.status = 'active';
    }
    if (patch.metadata !== undefined) next.metadata = mergePatch(before, { metadata: patch.metadata }).metadata;
    if (patch.items !== undefined) next.items = this.updatedItems(before, patch.items);
    const after = { ...before, ...next };
    const prev = diffPrevious(before, after);
    if (!prev) return before;
    return this.commit(after, 'customer.subscription.updated', prev);
  }

  private updatedItems(sub: StripeObject, changes: Array<Record<string, any>>): object {
    let items: StripeObject[] = [...sub.items.data];
    const now = this.now();
    changes.forEach((ch, n) => {
      if (ch.id) {
        const i = items.findIndex((x) => x.id === ch.id);
        if (i < 0) throw invalidRequest(`Invalid subscription_item id: ${ch.id}`, `items[${n}][id]`);
        if (ch.deleted) {
          items.splice(i, 1);
          return;
        }
        const pr = ch.price ? this.require('price', ch.price, 'price', `items[${n}][price]`) : items[i].price;
        items[i] = { ...items[i], price: pr, quantity: ch.quantity ?? items[i].quantity };
      } else {
        if (!ch.price) throw invalidRequest('Missing required param: items[price].', `items[${n}][price]`);
        const pr = this.require('price', ch.price, 'price', `items[${n}][price]`);
        const ref = items[0];
        items.push(shapes.subscriptionItem({ id: this.newId('si'), created: now, subscription: sub.id, price: pr, quantity: ch.quantity ?? 1, periodStart: ref?.current_period_start ?? now, periodEnd: ref?.current_period_end ?? now + INTERVAL_SECONDS[pr.recurring.interval] }));
      }
    });
    if (!items.length) throw invalidRequest('A subscription must have at least one active item.', 'items');
    items = items.map((x) => x);
    return shapes.list(items, sub.items.url);
  }

  cancelSubscription(id: string): StripeObject {
    const before = this.subscriptionById(id);
    if (before.status === 'canceled') throw stateError(`This subscription has already been canceled: ${id}`);
    const now = this.now();
    const after = { ...before, status: 'canceled', canceled_at: now, ended_at: now, cancel_at_period_end: false, cancellation_details: { comment: null, feedback: null, reason: 'cancellation_requested' } };
    return this.commit(after, 'customer.subscription.deleted', diffPrevious(before, after));
  }

  /**
   * The billing cycle turns (tests and the bench call this instead of waiting a month): the period
   * moves on, a subscription_cycle invoice is created and, when charging automatically and not
   * paused, paid (or declined). A subscription set to cancel at period end is canceled instead.
   */
  renewSubscription(id: string): StripeObject {
    const sub = this.subscriptionById(id);
    if (sub.status === 'canceled') throw stateError('Cannot renew a canceled subscription.');
    if (sub.cancel_at_period_end) return this.cancelSubscription(id);
    const items = sub.items.data.map((i: StripeObject) => {
      const len = INTERVAL_SECONDS[i.price.recurring.interval] * (i.price.recurring.interval_count ?? 1);
      return { ...i, current_period_start: i.current_period_end, current_period_end: i.current_period_end + len };
    });
    const status = sub.status === 'trialing' ? 'active' : sub.status;
    this.setSubscription(id, { items: shapes.list(items, sub.items.url), status });
    const renewed = this.subscriptionById(id);
    const inv = this.invoiceForPeriod(renewed, 'subscription_cycle', false);
    this.setSubscription(id, { latest_invoice: inv.id });
    const paused = renewed.pause_collection;
    if (paused) {
      if (paused.behavior === 'void') this.voidInvoice(inv.id);
      else if (paused.behavior === 'mark_uncollectible') this.markUncollectible(inv.id);
      return this.subscriptionById(id);
    }
    if (renewed.collection_method === 'charge_automatically') {
      try {
        this.payInvoice(inv.id);
      } catch (err) {
        if (!(err instanceof StripeApiError) || err.status !== 402) throw err;
      }
    }
    return this.subscriptionById(id);
  }

  /** A finalized invoice for the subscription's current period (zero during a trial). */
  private invoiceForPeriod(sub: StripeObject, reason: string, trial: boolean): StripeObject {
    const id = this.newId('in');
    const cust = this.customer(sub.customer);
    const lines = sub.items.data.map((i: StripeObject) =>
      shapes.invoiceLine({
        id: this.newId('il'),
        invoice: id,
        amount: trial ? 0 : (i.price.unit_amount as number) * (i.quantity as number),
        currency: sub.currency,
        description: `${i.quantity} × ${i.price.nickname ?? i.price.product} (at ${i.price.unit_amount} / ${i.price.recurring.interval})`,
        quantity: i.quantity,
        periodStart: i.current_period_start,
        periodEnd: i.current_period_end,
        subscription: sub.id,
        subscriptionItem: i.id,
        price: i.price.id,
      }),
    );
    const inv = shapes.invoice({
      id,
      created: this.now(),
      customer: sub.customer,
      customerEmail: cust.email,
      customerName: cust.name,
      currency: sub.currency,
      lines,
      status: 'draft',
      billingReason: reason,
      collectionMethod: sub.collection_method,
      subscription: sub.id,
      periodStart: sub.items.data[0].current_period_start,
      periodEnd: sub.items.data[0].current_period_end,
      dueDate: sub.collection_method === 'send_invoice' ? this.now() + (sub.days_until_due ?? 30) * DAY : null,
      autoAdvance: true,
    });
    this.index('invoice', sub.customer, id);
    this.commit(inv, 'invoice.created');
    return this.finalizeInvoice(id);
  }

  // ---- invoices ------------------------------------------------------------------------------

  invoiceById(id: string): StripeObject {
    return this.require('invoice', id, 'invoice');
  }

  createInvoiceItem(p: { customer: string; amount: number; currency: string; description?: string | null; invoice?: string | null; quantity?: number }): StripeObject {
    this.customer(p.customer);
    const id = this.newId('ii');
    const item = { id, object: 'invoiceitem', amount: p.amount, currency: p.currency.toLowerCase(), customer: p.customer, date: this.now(), created: this.now(), description: p.description ?? null, invoice: p.invoice ?? null, livemode: false, metadata: {}, quantity: p.quantity ?? 1, period: { start: this.now(), end: this.now() } };
    if (p.invoice) {
      const inv = this.invoiceById(p.invoice);
      if (inv.status !== 'draft') throw stateError('You can only add invoice items to draft invoices.', 'invoice_not_editable');
      if (inv.customer !== p.customer) throw invalidRequest('The invoice item and the invoice must belong to the same customer.', 'invoice');
    } else {
      this.index('invoiceitem', p.customer, id);
    }
    this.commit(item as StripeObject, 'invoiceitem.created');
    if (p.invoice) this.addLine(p.invoice, item as StripeObject);
    return item as StripeObject;
  }

  private addLine(invoiceId: string, item: StripeObject): void {
    const before = this.invoiceById(invoiceId);
    const line = shapes.invoiceLine({ id: this.newId('il'), invoice: invoiceId, amount: item.amount, currency: item.currency, description: item.description, quantity: item.quantity, periodStart: item.period.start, periodEnd: item.period.end, invoiceItem: item.id });
    const lines = [...before.lines.data, line];
    const after = this.rebuiltInvoice(before, { lines });
    this.commit(after, 'invoice.updated', diffPrevious(before, after));
  }

  /** Re-derives totals after a change of lines or status. */
  private rebuiltInvoice(inv: StripeObject, change: { lines?: StripeObject[] }): StripeObject {
    const lines = change.lines ?? inv.lines.data;
    const total = lines.reduce((s: number, l: StripeObject) => s + (l.amount as number), 0);
    return { ...inv, lines: shapes.list(lines, inv.lines.url), subtotal: total, subtotal_excluding_tax: total, total, total_excluding_tax: total, amount_due: total, amount_remaining: Math.max(0, total - inv.amount_paid) };
  }

  createInvoice(p: CreateInvoiceParams): StripeObject {
    const cust = this.customer(p.customer);
    if (p.subscription) this.subscriptionById(p.subscription);
    const id = this.newId('in');
    const currency = (p.currency ?? cust.currency ?? 'usd').toLowerCase();
    const inv = shapes.invoice({
      id,
      created: this.now(),
      customer: cust.id,
      customerEmail: cust.email,
      customerName: cust.name,
      currency,
      lines: [],
      status: 'draft',
      billingReason: p.billingReason ?? 'manual',
      collectionMethod: p.collectionMethod,
      subscription: p.subscription ?? null,
      dueDate: p.collectionMethod === 'send_invoice' ? (p.dueDate ?? this.now() + (p.daysUntilDue ?? 30) * DAY) : null,
      description: p.description,
      metadata: p.metadata,
      autoAdvance: p.autoAdvance ?? false,
      defaultPaymentMethod: p.defaultPaymentMethod ?? null,
    });
    this.index('invoice', cust.id, id);
    this.commit(inv, 'invoice.created');
    if (p.includePendingItems) {
      for (const itemId of this.owned('invoiceitem', cust.id)) {
        const item = this.get('invoiceitem', itemId);
        if (!item || item.invoice) continue;
        this.unindex('invoiceitem', cust.id, itemId);
        const attached = { ...item, invoice: id };
        this.commit(attached, 'invoiceitem.updated', { invoice: null });
        this.addLine(id, attached);
      }
    }
    if (p.amount !== undefined) this.createInvoiceItem({ customer: cust.id, amount: p.amount, currency, description: p.description ?? 'Services', invoice: id });
    return this.invoiceById(id);
  }

  updateInvoice(id: string, patch: Record<string, unknown>): StripeObject {
    const before = this.invoiceById(id);
    if ((before.status === 'paid' || before.status === 'void') && Object.keys(patch).some((k) => k !== 'metadata' && k !== 'description')) {
      throw stateError(`You can only update metadata and description of a ${before.status} invoice.`, 'invoice_not_editable');
    }
    const after = mergePatch(before, patch);
    const prev = diffPrevious(before, after);
    return prev ? this.commit(after, 'invoice.updated', prev) : before;
  }

  finalizeInvoice(id: string): StripeObject {
    const before = this.invoiceById(id);
    if (before.status !== 'draft') throw stateError('This invoice is already finalized, you can\'t re-finalize a non-draft invoice.', 'invoice_not_editable');
    const cust = this.customer(before.customer);
    const seq = cust.next_invoice_sequence as number;
    this.commit({ ...cust, next_invoice_sequence: seq + 1 }, null);
    const now = this.now();
    const auto = before.collection_method === 'charge_automatically' && before.auto_advance;
    const after: StripeObject = {
      ...before,
      status: 'open',
      number: `${cust.invoice_prefix}-${String(seq).padStart(4, '0')}`,
      effective_at: now,
      ending_balance: 0,
      hosted_invoice_url: `https://invoice.stripe.test/i/${id}`,
      invoice_pdf: `https://invoice.stripe.test/i/${id}/pdf`,
      next_payment_attempt: auto && before.billing_reason === 'manual' ? now + 3600 : null,
      status_transitions: { ...before.status_transitions, finalized_at: now },
    };
    this.commit(after, 'invoice.finalized', diffPrevious(before, after));
    if (after.amount_due === 0) return this.markPaid(id, null);
    return after;
  }

  voidInvoice(id: string): StripeObject {
    const before = this.invoiceById(id);
    if (before.status !== 'open' && before.status !== 'uncollectible') throw stateError(`You can only pass in open or uncollectible invoices. This invoice is ${before.status}.`, 'invoice_not_open');
    const after = { ...before, status: 'void', amount_remaining: 0, next_payment_attempt: null, auto_advance: false, status_transitions: { ...before.status_transitions, voided_at: this.now() } };
    this.commit(after, 'invoice.voided', diffPrevious(before, after));
    this.cancelOpenPayments(id);
    this.refreshDelinquency(before.customer);
    return after;
  }

  markUncollectible(id: string): StripeObject {
    const before = this.invoiceById(id);
    if (before.status !== 'open') throw stateError(`You can only mark open invoices as uncollectible. This invoice is ${before.status}.`, 'invoice_not_open');
    const after = { ...before, status: 'uncollectible', next_payment_attempt: null, auto_advance: false, status_transitions: { ...before.status_transitions, marked_uncollectible_at: this.now() } };
    this.commit(after, 'invoice.marked_uncollectible', diffPrevious(before, after));
    this.refreshDelinquency(before.customer);
    return after;
  }

  deleteInvoice(id: string): { id: string; object: 'invoice'; deleted: true } {
    const inv = this.invoiceById(id);
    if (inv.status !== 'draft') throw stateError('You can only delete draft invoices.', 'invoice_not_editable');
    this.remove('invoice', id);
    this.unindex('invoice', inv.customer, id);
    this.emit('invoice.deleted', inv);
    return { id, object: 'invoice', deleted: true };
  }

  /** Invoice payments of an invoice, newest first. */
  paymentsOf(invoiceId: string): StripeObject[] {
    return this.collection('invoice_payment').entriesOf(this.owned('invoice_payment', invoiceId)).reverse().map((e) => this.collection('invoice_payment').read(e));
  }

  private cancelOpenPayments(invoiceId: string): void {
    for (const p of this.paymentsOf(invoiceId)) {
      if (p.status === 'open') this.commit({ ...p, status: 'canceled', is_default: false, status_transitions: { ...p.status_transitions, canceled_at: this.now() } }, null);
    }
  }

  private resolvePaymentMethod(inv: StripeObject, explicit?: string | null): StripeObject | null {
    const sub = inv.parent?.subscription_details?.subscription ? this.get('subscription', inv.parent.subscription_details.subscription) : undefined;
    const cust = this.get('customer', inv.customer);
    const id = explicit ?? inv.default_payment_method ?? sub?.default_payment_method ?? cust?.invoice_settings?.default_payment_method ?? null;
    if (!id) return null;
    const pm = this.require('payment_method', id, 'PaymentMethod', 'payment_method');
    if (pm.customer !== inv.customer) throw invalidRequest('The payment method must be attached to the invoice\'s customer.', 'payment_method');
    return pm;
  }

  /**
   * Attempts payment (POST /v1/invoices/:id/pay). Declines record a failed attempt (attempt_count,
   * a PaymentIntent whose last_payment_error carries decline_code/advice_code, a failed Charge, an
   * InvoicePayment), emit invoice.payment_failed and throw the 402 card_error Stripe returns.
   * `forceDecline` comes from an injected fault rule.
   */
  payInvoice(id: string, opts: { paymentMethod?: string | null; paidOutOfBand?: boolean; forceDecline?: PaymentError | null } = {}): StripeObject {
    let inv = this.invoiceById(id);
    if (inv.status === 'draft') inv = this.finalizeInvoice(id);
    if (inv.status === 'paid') throw stateError('Invoice is already paid', 'invoice_already_paid');
    if (inv.status === 'void') throw stateError('This invoice can no longer be paid because it has been voided.', 'invoice_not_open');
    if (opts.paidOutOfBand) return this.markPaid(id, null, true);
    if (inv.amount_remaining === 0) return this.markPaid(id, null);
    const pm = this.resolvePaymentMethod(inv, opts.paymentMethod);
    if (!pm) {
      throw new StripeApiError(402, { type: 'card_error', code: 'missing', message: 'This customer has no attached payment source or default payment method. Please consider adding a default payment method.' });
    }
    const outcome = opts.forceDecline ?? this.takeOutcome(id) ?? this.customerDeclines.get(inv.customer) ?? this.paymentMethodDeclines.get(pm.id) ?? null;
    this.cancelOpenPayments(id);
    const now = this.now();
    const piId = this.newId('pi');
    const chId = this.newId('ch');
    const amount = inv.amount_remaining as number;
    const card = pm.card;
    const succeeded = outcome === null;
    const err = outcome
      ? {
          type: 'card_error',
          charge: chId,
          code: outcome.code ?? 'card_declined',
          decline_code: outcome.declineCode,
          advice_code: outcome.adviceCode ?? null,
          doc_url: `https://stripe.com/docs/error-codes/${outcome.code ?? 'card-declined'}`,
          message: outcome.message ?? declineMessage(outcome.declineCode),
          payment_method: pm,
        }
      : null;
    const ch = shapes.charge({ id: chId, created: now, amount, currency: inv.currency, customer: inv.customer, paymentIntent: piId, paymentMethod: pm.id, card, succeeded, failure: outcome ? { ...outcome, message: err!.message } : null, description: `Payment for Invoice ${inv.number ?? id}` });
    const pi = shapes.paymentIntent({ id: piId, created: now, amount, currency: inv.currency, customer: inv.customer, paymentMethod: succeeded ? pm.id : null, latestCharge: chId, status: succeeded ? 'succeeded' : 'requires_payment_method', lastPaymentError: err, amountReceived: succeeded ? amount : 0, description: `Payment for Invoice ${inv.number ?? id}` });
    const pay = shapes.invoicePayment({ id: this.newId('inpay'), created: now, invoice: id, paymentIntent: piId, amountRequested: amount, amountPaid: succeeded ? amount : null, currency: inv.currency, status: succeeded ? 'paid' : 'open', isDefault: true, paidAt: succeeded ? now : null });
    this.index('payment_intent', inv.customer, piId);
    this.index('charge', inv.customer, chId);
    this.index('invoice_payment', id, pay.id);
    this.commit(pi, 'payment_intent.created');
    if (succeeded) {
      this.commit(ch, 'charge.succeeded');
      this.commit(pi, 'payment_intent.succeeded');
      this.commit(pay, 'invoice_payment.paid');
      return this.markPaid(id, amount);
    }
    this.commit(ch, 'charge.failed');
    this.commit(pi, 'payment_intent.payment_failed');
    this.commit(pay, null);
    const before = this.invoiceById(id);
    const attempts = (before.attempt_count as number) + 1;
    const retryable = before.collection_method === 'charge_automatically' && !NON_RETRYABLE.has(outcome!.declineCode) && attempts < MAX_AUTOMATIC_ATTEMPTS;
    const after = { ...before, attempt_count: attempts, attempted: true, next_payment_attempt: retryable ? now + 3 * DAY : null };
    this.commit(after, 'invoice.payment_failed', diffPrevious(before, after));
    const subId = before.parent?.subscription_details?.subscription as string | undefined;
    const sub = subId ? this.get('subscription', subId) : undefined;
    if (sub && sub.status === 'active') this.setSubscription(sub.id, { status: 'past_due' });
    this.refreshDelinquency(before.customer);
    throw new StripeApiError(402, { ...(err as object), payment_intent: pi } as never);
  }

  private takeOutcome(invoiceId: string): PaymentError | null {
    const o = this.nextPayOutcome.get(invoiceId);
    if (!o) return null;
    this.nextPayOutcome.delete(invoiceId);
    return o === 'succeed' ? null : o;
  }

  private markPaid(id: string, amountCharged: number | null, outOfBand = false): StripeObject {
    const before = this.invoiceById(id);
    const now = this.now();
    const after = {
      ...before,
      status: 'paid',
      amount_paid: amountCharged ?? (outOfBand ? before.amount_due : before.amount_paid),
      amount_remaining: 0,
      attempted: amountCharged !== null ? true : before.attempted,
      attempt_count: amountCharged !== null ? (before.attempt_count as number) + 1 : before.attempt_count,
      next_payment_attempt: null,
      auto_advance: false,
      status_transitions: { ...before.status_transitions, paid_at: now },
    };
    const prev = diffPrevious(before, after);
    this.commit(after, 'invoice.paid', prev);
    this.emit('invoice.payment_succeeded', after);
    const subId = before.parent?.subscription_details?.subscription as string | undefined;
    const sub = subId ? this.get('subscription', subId) : undefined;
    if (sub && ['incomplete', 'past_due', 'unpaid'].includes(sub.status)) this.setSubscription(sub.id, { status: 'active' });
    this.refreshDelinquency(before.customer);
    return after;
  }

  /** customer.delinquent: true while an invoice of theirs has a failed, unpaid attempt. */
  private refreshDelinquency(customerId: string): void {
    const c = this.get('customer', customerId);
    if (!c) return;
    const delinquent = this.owned('invoice', customerId).some((iid) => {
      const inv = this.get('invoice', iid);
      return inv && inv.status === 'open' && inv.attempted && (inv.attempt_count as number) > 0;
    });
    if (delinquent !== c.delinquent) this.updateCustomer(customerId, { delinquent });
  }

  /** Automatic retries whose time has come (after clock.advance): what Smart Retries would do. */
  runDueRetries(): string[] {
    const now = this.now();
    const done: string[] = [];
    for (const e of this.collection('invoice').ascending().slice()) {
      const inv = this.collection('invoice').read(e);
      if (inv.status !== 'open' || inv.next_payment_attempt == null || inv.next_payment_attempt > now) continue;
      done.push(inv.id);
      try {
        this.payInvoice(inv.id);
      } catch (err) {
        if (!(err instanceof StripeApiError) || err.status !== 402) throw err;
      }
    }
    return done;
  }

  /** Generic retrieve for expansion (any type, by id). */
  retrieve(type: string, id: string): StripeObject {
    const o = this.get(type, id);
    if (!o) throw resourceMissing(type, id);
    return o;
  }
}
