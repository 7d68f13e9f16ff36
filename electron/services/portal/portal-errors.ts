import Stripe from 'stripe';
import { AppError } from '../../../shared/contract/errors';
import { toStripeAppError } from '../stripe/errors';

/**
 * Stripe's portal errors in words an agent can act on. The most common one on a new account is
 * "no default configuration": Stripe refuses every session until the portal settings are saved
 * once in the Dashboard (or a configuration is passed explicitly).
 */
export function toPortalAppError(err: unknown, doing: string): AppError {
  if (err instanceof Stripe.errors.StripeInvalidRequestError) {
    const message = err.message ?? '';
    if (/customer portal settings/i.test(message) && !/No such/i.test(message)) {
      return new AppError(
        'not_configured',
        'This Stripe account has no default Customer Portal configuration yet, so Stripe cannot create a portal link. ' +
          'Save the portal settings once in the Stripe Dashboard (Settings → Billing → Customer portal), or create a configuration under Settings → Customer portal here and make it the console default. ' +
          `Stripe said: ${message}`,
      );
    }
    if (err.code === 'resource_missing' && /No such customer/i.test(message)) {
      return new AppError('not_found', `Stripe has no such customer in this account (${message}). Check the customer id.`);
    }
    if (err.code === 'resource_missing' && /No such subscription/i.test(message)) {
      return new AppError('not_found', `Stripe has no such subscription in this account (${message}).`);
    }
    if (err.code === 'resource_missing' && /configuration/i.test(message)) {
      return new AppError('not_found', `Stripe has no such portal configuration in this account (${message}). Pick another configuration in Settings → Customer portal.`);
    }
  }
  return toStripeAppError(err, doing);
}
