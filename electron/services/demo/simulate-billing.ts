import { cardLabel, type CardWallet } from './cards';
import { DECLINE_SPECS, DECLINE_WEIGHTS, isRetryable, RETRY_SCHEDULE_DAYS, sameCardCanRecover, type DeclineSpec } from './declines';
import type { IdFactory } from './ids';
import { moneyText } from './money-text';
import type { AttemptPlan, BillingSlot, CardPlan, InvoicePlan, TimelineEventPlan } from './plan-types';
import type { Rng } from './rng';
import { DAY, HOUR, MINUTE } from './time';

// Turns billing slots into invoices with their payment attempts, in time order across all of the
// customer's subscriptions (so the card in use at each moment is the one the customer had then).
// Retries follow Smart Retries (up to 8 tries within two weeks, none after a non-retryable
// decline); a share of paid invoices were recovered after a first decline.

export interface BillingContext {
  rng: Rng;
  ids: IdFactory;
  anchor: number;
  currency: string;
  wallet: CardWallet;
  invoicePrefix: string;
  events: TimelineEventPlan[];
}

/** Share of paid, automatically charged invoices whose first attempt was declined. */
const RECOVERED_SHARE = 0.045;
const SOFT_REPEAT_CODES = ['generic_decline', 'do_not_honor', 'try_again_later', 'insufficient_funds'];

class BillingRun {
  private sequence = 1;

  constructor(private readonly ctx: BillingContext) {}

  money(amount: number): string {
    return moneyText(amount, this.ctx.currency);
  }

  event(type: string, objectId: string, summary: string, created: number): void {
    this.ctx.events.push({ type, objectId, summary, created });
  }

  finalize(inv: InvoicePlan, at: number): void {
    inv.finalizedAt = at;
    inv.number = `${this.ctx.invoicePrefix}-${String(this.sequence++).padStart(4, '0')}`;
    inv.status = 'open';
    inv.autoAdvance = true;
  }

  /** A decline for `card` at `t`; an expired card always declines as expired. */
  pickDecline(card: CardPlan, t: number, bias?: string): DeclineSpec {
    const { wallet, rng } = this.ctx;
    if (wallet.isExpiredAt(card, t)) return DECLINE_SPECS.expired_card;
    if (bias && rng.chance(0.4)) return DECLINE_SPECS[bias];
    for (let tries = 0; tries < 4; tries++) {
      const code = DECLINE_WEIGHTS.pick(rng);
      if (code !== 'expired_card') return DECLINE_SPECS[code];
      if (wallet.expireBefore(card, t)) return DECLINE_SPECS.expired_card;
    }
    return DECLINE_SPECS.generic_decline;
  }

  /** The decline on a retry: banks mostly repeat themselves, sometimes with another soft code. */
  repeatDecline(first: DeclineSpec, card: CardPlan, t: number): DeclineSpec {
    const { rng, wallet } = this.ctx;
    if (wallet.isExpiredAt(card, t)) return DECLINE_SPECS.expired_card;
    if (first.declineCode === 'expired_card' || rng.chance(0.8)) return first;
    return DECLINE_SPECS[rng.pick(SOFT_REPEAT_CODES)];
  }

  attempt(inv: InvoicePlan, card: CardPlan, at: number, decline: DeclineSpec | null, group: number): AttemptPlan {
    const a: AttemptPlan = { at, card, decline, group };
    inv.attempts.push(a);
    this.ctx.wallet.recordUse(card, at);
    if (decline) {
      const n = inv.attempts.length;
      this.event('invoice.payment_failed', inv.id, `Payment of ${this.money(inv.total)} failed for invoice ${inv.number}: ${decline.declineCode} on ${cardLabel(card)} (attempt ${n})`, at);
    }
    return a;
  }

  paid(inv: InvoicePlan, at: number, card: CardPlan | null): void {
    inv.status = 'paid';
    inv.paidAt = at;
    inv.autoAdvance = false;
    const failures = inv.attempts.filter((a) => a.decline).length;
    const how = card ? `with ${cardLabel(card)}` : 'by bank transfer';
    const after = failures ? ` after ${failures} failed attempt${failures > 1 ? 's' : ''}` : '';
    this.event('invoice.paid', inv.id, `Invoice ${inv.number} paid${after}: ${this.money(inv.total)} ${how}`, at);
  }

  chargePaid(inv: InvoicePlan, t: number): void {
    const { rng, wallet, anchor } = this.ctx;
    if (inv.total > 0 && t < anchor - 6 * DAY && rng.chance(RECOVERED_SHARE)) return this.recovered(inv, t);
    const card = wallet.usableAt(t);
    this.attempt(inv, card, t, null, 0);
    this.paid(inv, t, card);
  }

  /** Declined first, then paid: by a retry, by the customer authenticating, or with a new card. */
  recovered(inv: InvoicePlan, t0: number): void {
    const { rng, wallet } = this.ctx;
    const card = wallet.usableAt(t0);
    const first = this.pickDecline(card, t0);
    this.attempt(inv, card, t0, first, 0);
    // The same card can only succeed later if it has not run out in the meantime.
    const authenticatedAt = t0 + rng.range(HOUR, 3 * DAY);
    if (first.declineCode === 'authentication_required' && !wallet.isExpiredAt(card, authenticatedAt)) {
      this.attempt(inv, card, authenticatedAt, null, 0);
      return this.paid(inv, authenticatedAt, card);
    }
    const failures = rng.range(1, 3);
    const retriedAt = t0 + RETRY_SCHEDULE_DAYS[failures] * DAY + rng.range(-3 * HOUR, 3 * HOUR);
    if (sameCardCanRecover(first.declineCode) && !wallet.isExpiredAt(card, retriedAt) && rng.chance(0.75)) {
      // Smart Retries got it through. Real invoices show this as one PaymentIntent retried; some
      // demo invoices instead keep the declined PaymentIntent beside the paid one, so both
      // shapes reach the cache.
      const split = rng.chance(0.65);
      for (let i = 1; i < failures; i++) this.attempt(inv, card, t0 + RETRY_SCHEDULE_DAYS[i] * DAY + rng.range(-3 * HOUR, 3 * HOUR), this.repeatDecline(first, card, t0), 0);
      this.attempt(inv, card, retriedAt, null, split ? 1 : 0);
      return this.paid(inv, retriedAt, card);
    }
    const fresh = wallet.addBetween(t0 + 2 * HOUR, t0 + 5 * DAY);
    const at = fresh.created + rng.range(MINUTE, 20 * MINUTE);
    this.attempt(inv, fresh, at, null, 1);
    this.paid(inv, at, fresh);
  }

  /** A failing invoice: its attempts up to the anchor (or all of them, when retries ran out). */
  dunning(inv: InvoicePlan, t0: number, allAttempts: boolean): DeclineSpec {
    const { rng, wallet, anchor } = this.ctx;
    // The default card as it is, expired or not: an expired one is exactly what declines here.
    const card = wallet.defaultAt(t0) ?? wallet.usableAt(t0);
    const first = this.pickDecline(card, t0);
    this.attempt(inv, card, t0, first, 0);
    const product = inv.slot.subscription?.items[0].price.product.name;
    if (inv.slot.subscription) this.event('customer.subscription.updated', inv.slot.subscription.id, `${product} is past due after a failed payment`, t0 + 1);
    let last = first;
    for (let i = 1; i < RETRY_SCHEDULE_DAYS.length; i++) {
      if (!isRetryable(last.declineCode)) break;
      const at = t0 + RETRY_SCHEDULE_DAYS[i] * DAY + rng.range(-3 * HOUR, 3 * HOUR);
      if (at > anchor && !allAttempts) {
        inv.nextPaymentAttempt = at;
        break;
      }
      last = this.repeatDecline(first, card, at);
      this.attempt(inv, card, at, last, 0);
    }
    return last;
  }

  run(slot: BillingSlot): InvoicePlan {
    const { rng, ids, anchor } = this.ctx;
    const inv: InvoicePlan = {
      id: ids.long('in'),
      slot,
      status: 'draft',
      number: null,
      total: slot.lines.reduce((sum, l) => sum + l.amount, 0),
      finalizedAt: null,
      paidAt: null,
      voidedAt: null,
      markedUncollectibleAt: null,
      dueDate: null,
      autoAdvance: true,
      automaticallyFinalizesAt: null,
      attempts: [],
      nextPaymentAttempt: null,
      paidOutOfBand: false,
    };
    const created = slot.at;
    // First invoices and one-off invoices are finalized at once; renewals sit as drafts for an hour.
    const finalizeAt = slot.billingReason === 'subscription_create' ? created : slot.billingReason === 'manual' ? created + rng.range(MINUTE, 2 * DAY) : created + HOUR;
    let fate = slot.fate;
    if (finalizeAt > anchor && fate !== 'draft_held' && fate !== 'pause_draft') fate = 'draft_pending';
    const sub = slot.subscription;
    const payAt = finalizeAt + rng.range(2, 40);

    switch (fate) {
      case 'trial_zero':
        this.finalize(inv, finalizeAt);
        inv.status = 'paid';
        inv.paidAt = finalizeAt;
        inv.autoAdvance = false;
        break;
      case 'paid':
        this.finalize(inv, finalizeAt);
        this.chargePaid(inv, payAt);
        break;
      case 'fail_retrying':
        this.finalize(inv, finalizeAt);
        this.dunning(inv, payAt, false);
        break;
      case 'fail_exhausted_open': {
        this.finalize(inv, finalizeAt);
        this.dunning(inv, payAt, true);
        inv.autoAdvance = false;
        const last = inv.attempts[inv.attempts.length - 1].at;
        if (sub) this.event('customer.subscription.updated', sub.id, `${sub.items[0].price.product.name} marked unpaid: the last retry failed`, Math.max(last, payAt + 14 * DAY) + HOUR);
        break;
      }
      case 'fail_uncollectible':
      case 'fail_void': {
        this.finalize(inv, finalizeAt);
        this.dunning(inv, payAt, true);
        const closedAt = sub?.endedAt ?? payAt + 15 * DAY;
        inv.autoAdvance = false;
        if (fate === 'fail_void') {
          inv.status = 'void';
          inv.voidedAt = closedAt;
          this.event('invoice.voided', inv.id, `Invoice ${inv.number} voided (${this.money(inv.total)}) when the subscription was canceled`, closedAt);
        } else {
          inv.status = 'uncollectible';
          inv.markedUncollectibleAt = closedAt;
          this.event('invoice.marked_uncollectible', inv.id, `Invoice ${inv.number} marked uncollectible (${this.money(inv.total)})`, closedAt);
        }
        break;
      }
      case 'fail_incomplete':
      case 'fail_incomplete_expired': {
        this.finalize(inv, finalizeAt);
        const card = this.ctx.wallet.usableAt(payAt);
        // First payments fail on 3D Secure far more often than renewals do.
        this.attempt(inv, card, payAt, this.pickDecline(card, payAt, 'authentication_required'), 0);
        if (fate === 'fail_incomplete_expired') {
          inv.status = 'void';
          inv.autoAdvance = false;
          inv.voidedAt = created + 23 * HOUR;
          this.event('invoice.voided', inv.id, `Invoice ${inv.number} voided: the first payment was never completed`, inv.voidedAt);
        }
        break;
      }
      case 'draft_pending':
        inv.automaticallyFinalizesAt = finalizeAt;
        inv.nextPaymentAttempt = slot.collection === 'charge_automatically' ? finalizeAt : null;
        break;
      case 'draft_held':
      case 'pause_draft':
        inv.autoAdvance = false;
        break;
      case 'pause_void':
        this.finalize(inv, finalizeAt);
        inv.status = 'void';
        inv.autoAdvance = false;
        inv.voidedAt = finalizeAt;
        this.event('invoice.voided', inv.id, `Invoice ${inv.number} voided while payment collection is paused`, finalizeAt);
        break;
      case 'pause_uncollectible':
        this.finalize(inv, finalizeAt);
        inv.status = 'uncollectible';
        inv.autoAdvance = false;
        inv.markedUncollectibleAt = finalizeAt;
        this.event('invoice.marked_uncollectible', inv.id, `Invoice ${inv.number} marked uncollectible while payment collection is paused`, finalizeAt);
        break;
      case 'send_open':
      case 'send_paid': {
        this.finalize(inv, finalizeAt);
        const days = slot.daysUntilDue ?? 30;
        inv.dueDate = finalizeAt + days * DAY;
        this.event('invoice.sent', inv.id, `Invoice ${inv.number} for ${this.money(inv.total)} sent, due in ${days} days`, finalizeAt + rng.range(MINUTE, 10 * MINUTE));
        const paidAt = finalizeAt + rng.range(DAY, (days + 6) * DAY);
        if (fate === 'send_paid' && paidAt <= anchor) {
          if (this.ctx.wallet.cards.length && rng.chance(0.6)) {
            const card = this.ctx.wallet.usableAt(paidAt);
            this.attempt(inv, card, paidAt, null, 0);
            this.paid(inv, paidAt, card);
          } else {
            inv.paidOutOfBand = true;
            this.paid(inv, paidAt, null);
          }
        }
        break;
      }
      case 'manual_void': {
        this.finalize(inv, finalizeAt);
        inv.status = 'void';
        inv.autoAdvance = false;
        inv.voidedAt = Math.min(anchor, finalizeAt + rng.range(HOUR, 3 * DAY));
        this.event('invoice.voided', inv.id, `Invoice ${inv.number} voided (${this.money(inv.total)}): issued in error`, inv.voidedAt);
        break;
      }
    }
    return inv;
  }
}

/** Invoices for the customer's billing slots, in time order. */
export function simulateBilling(ctx: BillingContext, slots: BillingSlot[]): InvoicePlan[] {
  const run = new BillingRun(ctx);
  const ordered = slots.map((s, i) => ({ s, i })).sort((a, b) => a.s.at - b.s.at || a.i - b.i);
  return ordered.map(({ s }) => run.run(s));
}
