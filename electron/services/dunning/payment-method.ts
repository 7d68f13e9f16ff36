import type Database from 'better-sqlite3';
import { type CaseRecord } from './case-store';
import { prepared } from '../db/statements';

/**
 * The payment method Stripe would charge for this case's invoice now: the subscription's default
 * payment method when it has one, else the customer's invoice_settings.default_payment_method.
 */
export function currentPaymentMethod(db: Database.Database, c: Pick<CaseRecord, 'account_id' | 'customer_id' | 'subscription_id'>): string | null {
  const row = prepared(
    db,
    `SELECT (SELECT s.default_payment_method_id FROM subscriptions s WHERE s.account_id = @a AND s.id = @sub) AS sub_pm,
            (SELECT c.default_payment_method_id FROM customers c WHERE c.account_id = @a AND c.id = @cus) AS cus_pm`,
  ).get({ a: c.account_id, sub: c.subscription_id, cus: c.customer_id }) as { sub_pm: string | null; cus_pm: string | null };
  return paymentMethodStripeCharges(row.sub_pm, row.cus_pm);
}

/** Which default Stripe charges an invoice with: the subscription's, else the customer's (desk cache or team mirror alike). */
export function paymentMethodStripeCharges(subscriptionPm: string | null, customerPm: string | null): string | null {
  return subscriptionPm ?? customerPm;
}
