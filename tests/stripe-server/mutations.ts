import { StripeApiError } from './errors';
import { rng } from './seed';
import type { StripeObject } from './shapes';
import type { StripeStore } from './store';

// Random changes to an account, through the store API (so each emits the events Stripe would).
// Used by the acceptance test (≥ 500 mutations, then the cache must equal the server) and by
// main.ts --churn. Each call makes one change chosen by `seed`; refused changes (e.g. paying a
// void invoice) are part of the game and are skipped.

const DECLINES = [
  { declineCode: 'insufficient_funds', adviceCode: 'try_again_later' },
  { declineCode: 'generic_decline' },
  { declineCode: 'expired_card', code: 'expired_card', adviceCode: 'confirm_card_data' },
  { declineCode: 'stolen_card', adviceCode: 'do_not_try_again' },
];

export type MutationKind =
  | 'create_customer' | 'update_customer' | 'delete_customer' | 'attach_pm' | 'detach_pm' | 'set_default_pm' | 'update_pm'
  | 'create_subscription' | 'cancel_at_period_end' | 'pause' | 'resume' | 'cancel_subscription' | 'renew' | 'change_quantity'
  | 'invoice_and_pay' | 'pay_with_decline' | 'retry_open_invoice' | 'void_invoice' | 'mark_uncollectible' | 'draft_then_delete';

const KINDS: Array<[MutationKind, number]> = [
  ['create_customer', 8], ['update_customer', 12], ['delete_customer', 2], ['attach_pm', 6], ['detach_pm', 3], ['set_default_pm', 4], ['update_pm', 3],
  ['create_subscription', 8], ['cancel_at_period_end', 5], ['pause', 3], ['resume', 3], ['cancel_subscription', 3], ['renew', 8], ['change_quantity', 4],
  ['invoice_and_pay', 8], ['pay_with_decline', 6], ['retry_open_invoice', 5], ['void_invoice', 3], ['mark_uncollectible', 2], ['draft_then_delete', 2],
];
const TOTAL = KINDS.reduce((s, [, w]) => s + w, 0);

function live(store: StripeStore, type: string, where: (o: StripeObject) => boolean = () => true): StripeObject[] {
  return store.all(type).filter(where);
}

/** Applies one random change; returns what it did (or null when the chosen change did not apply). */
export function randomMutation(store: StripeStore, seed: number): MutationKind | null {
  const random = rng(seed * 2654435761);
  const pick = <T>(a: T[]): T | undefined => (a.length ? a[Math.floor(random() * a.length)] : undefined);
  let roll = random() * TOTAL;
  let kind: MutationKind = 'update_customer';
  for (const [k, w] of KINDS) {
    if ((roll -= w) < 0) {
      kind = k;
      break;
    }
  }
  const customers = () => live(store, 'customer');
  try {
    switch (kind) {
      case 'create_customer': {
        const n = Math.floor(random() * 1e6);
        store.createCustomer({ name: `Customer ${n}`, email: `customer${n}@example.com`, paymentMethod: random() < 0.8 ? 'pm_card_visa' : undefined, metadata: { source: 'mutation' } });
        return kind;
      }
      case 'update_customer': {
        const c = pick(customers());
        if (!c) return null;
        const r = random();
        if (r < 0.3) store.updateCustomer(c.id, { email: `changed${Math.floor(random() * 1e6)}@Example.com` });
        else if (r < 0.5) store.updateCustomer(c.id, { name: `Renamed ${Math.floor(random() * 1e6)}` });
        else if (r < 0.7) store.updateCustomer(c.id, { metadata: { tier: pick(['gold', 'silver', 'bronze'])! } });
        else if (r < 0.85) store.updateCustomer(c.id, { phone: random() < 0.5 ? null : `+4420${Math.floor(random() * 1e7)}` });
        else store.updateCustomer(c.id, { address: { city: pick(['Paris', 'Lagos', 'Osaka', 'Lima'])!, country: pick(['FR', 'NG', 'JP', 'PE'])! } });
        return kind;
      }
      case 'delete_customer': {
        const c = pick(customers());
        if (!c) return null;
        store.deleteCustomer(c.id);
        return kind;
      }
      case 'attach_pm': {
        const c = pick(customers());
        if (!c) return null;
        store.attachPaymentMethod(pick(['pm_card_visa', 'pm_card_mastercard', 'pm_card_amex', 'pm_card_chargeDeclinedInsufficientFunds'])!, c.id);
        return kind;
      }
      case 'detach_pm': {
        const pm = pick(live(store, 'payment_method', (p) => p.customer != null));
        if (!pm) return null;
        store.detachPaymentMethod(pm.id);
        return kind;
      }
      case 'set_default_pm': {
        const pm = pick(live(store, 'payment_method', (p) => p.customer != null && store.get('customer', p.customer) != null));
        if (!pm) return null;
        store.updateCustomer(pm.customer, { invoice_settings: { default_payment_method: pm.id } });
        return kind;
      }
      case 'update_pm': {
        const pm = pick(live(store, 'payment_method', (p) => p.customer != null));
        if (!pm) return null;
        store.updatePaymentMethod(pm.id, { card: { exp_month: 1 + Math.floor(random() * 12), exp_year: 2027 + Math.floor(random() * 6) } });
        return kind;
      }
      case 'create_subscription': {
        const c = pick(customers());
        const price = pick(live(store, 'price', (p) => p.recurring != null));
        if (!c || !price) return null;
        store.createSubscription({ customer: c.id, items: [{ price: price.id, quantity: 1 + Math.floor(random() * 4) }], trialPeriodDays: random() < 0.15 ? 7 : undefined });
        return kind;
      }
      case 'cancel_at_period_end':
      case 'pause':
      case 'resume':
      case 'cancel_subscription':
      case 'renew':
      case 'change_quantity': {
        const s = pick(live(store, 'subscription', (x) => x.status !== 'canceled' && x.status !== 'incomplete_expired'));
        if (!s) return null;
        if (kind === 'cancel_at_period_end') store.updateSubscription(s.id, { cancel_at_period_end: !s.cancel_at_period_end });
        else if (kind === 'pause') store.updateSubscription(s.id, { pause_collection: { behavior: pick(['void', 'keep_as_draft', 'mark_uncollectible']) } });
        else if (kind === 'resume') store.updateSubscription(s.id, { pause_collection: null });
        else if (kind === 'cancel_subscription') store.cancelSubscription(s.id);
        else if (kind === 'renew') store.renewSubscription(s.id);
        else store.updateSubscription(s.id, { items: [{ id: s.items.data[0].id, quantity: 1 + Math.floor(random() * 5) }] });
        return kind;
      }
      case 'invoice_and_pay': {
        const c = pick(customers());
        if (!c) return null;
        const inv = store.createInvoice({ customer: c.id, amount: 100 + Math.floor(random() * 50_000), description: 'One-off work', autoAdvance: true, currency: pick(['usd', 'usd', 'eur', 'jpy']) });
        store.payInvoice(inv.id);
        return kind;
      }
      case 'pay_with_decline':
      case 'retry_open_invoice': {
        const inv = pick(live(store, 'invoice', (i) => i.status === 'open' || i.status === 'uncollectible'));
        if (!inv) return null;
        if (kind === 'pay_with_decline') store.setNextPayOutcome(inv.id, pick(DECLINES)!);
        store.payInvoice(inv.id);
        return kind;
      }
      case 'void_invoice': {
        const inv = pick(live(store, 'invoice', (i) => i.status === 'open'));
        if (!inv) return null;
        store.voidInvoice(inv.id);
        return kind;
      }
      case 'mark_uncollectible': {
        const inv = pick(live(store, 'invoice', (i) => i.status === 'open'));
        if (!inv) return null;
        store.markUncollectible(inv.id);
        return kind;
      }
      case 'draft_then_delete': {
        const c = pick(customers());
        if (!c) return null;
        const inv = store.createInvoice({ customer: c.id, amount: 1234, description: 'Draft to discard' });
        if (random() < 0.7) store.deleteInvoice(inv.id);
        return kind;
      }
    }
  } catch (err) {
    // A decline or a refused state change is an outcome, not a failure of the generator.
    if (err instanceof StripeApiError) return kind;
    throw err;
  }
  return null;
}
