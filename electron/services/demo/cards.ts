import type Stripe from 'stripe';
import type { IdFactory } from './ids';
import type { LocaleProfile } from './locales';
import type { CardPlan } from './plan-types';
import { Weighted, type Rng } from './rng';
import { DAY, MINUTE, monthIndex, monthIndexOf, yearMonth } from './time';

// A customer's cards over time. The default card at any moment is the newest one added before it
// (what happens when a customer updates their card in the portal). Expiry dates stay consistent
// with the payments made: an `expired_card` decline moves the card's expiry before that day, and a
// later successful payment implies the customer added a newer card first.

const FUNDING = new Weighted<CardPlan['funding']>([['credit', 68], ['debit', 29], ['prepaid', 3]]);
const WALLET = new Weighted<CardPlan['wallet']>([[null, 81], ['apple_pay', 10], ['google_pay', 6], ['link', 3]]);

const BRAND_LABEL: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover', diners: 'Diners Club', jcb: 'JCB', unionpay: 'UnionPay' };

export function cardLabel(card: Pick<CardPlan, 'brand' | 'last4'>): string {
  return `${BRAND_LABEL[card.brand] ?? card.brand} •••• ${card.last4}`;
}

function expiryMonthIndex(card: CardPlan): number {
  return monthIndex(card.expYear, card.expMonth);
}

function setExpiry(card: CardPlan, index: number): void {
  card.expYear = Math.floor(index / 12);
  card.expMonth = (index % 12) + 1;
}

export class CardWallet {
  readonly cards: CardPlan[] = [];

  constructor(
    private readonly rng: Rng,
    private readonly ids: IdFactory,
    private readonly locale: LocaleProfile,
    private readonly anchorSec: number,
    /** The customer's creation: no card can be older. */
    private readonly notBefore: number,
  ) {}

  add(created: number, reason: CardPlan['reason']): CardPlan {
    const rng = this.rng;
    const createdMonth = monthIndexOf(created);
    const anchorMonth = monthIndexOf(this.anchorSec);
    const { year, month } = yearMonth(created);
    const card: CardPlan = {
      id: this.ids.long('pm'),
      created,
      brand: this.locale.cardBrands.pick(rng),
      last4: rng.digits(4),
      funding: FUNDING.pick(rng),
      country: rng.chance(0.88) ? this.locale.country : 'US',
      wallet: WALLET.pick(rng),
      fingerprint: rng.chars(16),
      expYear: year,
      expMonth: month,
      lastUseMonth: createdMonth,
      reason,
    };
    let expiry = createdMonth + rng.range(8, 60);
    // Some cards run out around "today" (the renewal banner case) and a few already have.
    if (rng.chance(0.07) && anchorMonth >= createdMonth + 3) expiry = anchorMonth + rng.range(0, 1);
    else if (rng.chance(0.04) && anchorMonth - 1 >= createdMonth + 2) expiry = rng.range(createdMonth + 2, anchorMonth - 1);
    setExpiry(card, expiry);
    this.cards.push(card);
    this.cards.sort((a, b) => a.created - b.created);
    return card;
  }

  defaultAt(t: number): CardPlan | null {
    let found: CardPlan | null = null;
    for (const c of this.cards) if (c.created <= t) found = c;
    return found;
  }

  /** The default card now (the customer's `invoice_settings.default_payment_method`). */
  current(): CardPlan | null {
    return this.defaultAt(this.anchorSec);
  }

  isExpiredAt(card: CardPlan, t: number): boolean {
    return monthIndexOf(t) > expiryMonthIndex(card);
  }

  /**
   * Makes the card expire in the month before `t`, for an `expired_card` decline at `t`; refused
   * when the card was added or used too recently for that to be true.
   */
  expireBefore(card: CardPlan, t: number): boolean {
    const target = monthIndexOf(t) - 1;
    if (target < card.lastUseMonth || target < monthIndexOf(card.created) + 1) return false;
    if (target < expiryMonthIndex(card)) setExpiry(card, target);
    return true;
  }

  recordUse(card: CardPlan, t: number): void {
    card.lastUseMonth = Math.max(card.lastUseMonth, monthIndexOf(t));
  }

  /**
   * The card a successful payment at `t` is made with: the default card, or (when that one has
   * expired) a replacement the customer added shortly before.
   */
  usableAt(t: number): CardPlan {
    const card = this.defaultAt(t);
    if (card && !this.isExpiredAt(card, t)) return card;
    const earliest = Math.max(this.notBefore, card ? Math.max(card.created, this.firstSecondAfterExpiry(card)) : t - 10 * DAY);
    const created = t - this.rng.range(MINUTE, Math.max(MINUTE, Math.min(10 * DAY, t - earliest)));
    return this.add(Math.max(this.notBefore, created), card ? 'replacement' : 'update');
  }

  /** A card added between `from` and `to` (a customer fixing their payment method after a decline). */
  addBetween(from: number, to: number): CardPlan {
    return this.add(Math.max(this.notBefore, this.rng.range(from, Math.max(from, to))), 'update');
  }

  private firstSecondAfterExpiry(card: CardPlan): number {
    return Math.floor(Date.UTC(card.expYear, card.expMonth, 1) / 1000);
  }
}

/** The PaymentMethod object for a planned card. */
export function buildPaymentMethod(card: CardPlan, customerId: string, billing: Stripe.PaymentMethod.BillingDetails): Stripe.PaymentMethod {
  return {
    id: card.id,
    object: 'payment_method',
    allow_redisplay: 'always',
    billing_details: billing,
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: billing.address?.postal_code ? 'pass' : null, cvc_check: 'pass' },
      country: card.country,
      display_brand: card.brand === 'amex' ? 'american_express' : card.brand,
      exp_month: card.expMonth,
      exp_year: card.expYear,
      fingerprint: card.fingerprint,
      funding: card.funding,
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      regulated_status: card.funding === 'debit' ? 'regulated' : 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: card.wallet ? { type: card.wallet, dynamic_last4: card.wallet === 'link' ? null : card.last4 } : null,
    },
    created: card.created,
    customer: customerId,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
}

