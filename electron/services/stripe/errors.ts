import Stripe from 'stripe';
import { AppError } from '../../../shared/contract/errors';

/** Turns a Stripe SDK error into a typed error with words a person can act on. */
export function toStripeAppError(err: unknown, doing: string): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof Stripe.errors.StripeCardError) {
    return new AppError('card_declined', `The card was declined while ${doing}${err.decline_code ? ` (${err.decline_code})` : ''}.`, {
      decline_code: err.decline_code ?? null,
      code: err.code ?? null,
      advice_code: (err as { advice_code?: string }).advice_code ?? null,
    });
  }
  if (err instanceof Stripe.errors.StripeAuthenticationError) {
    return new AppError('unauthorized', `Stripe rejected the API key while ${doing}. Check that the key is correct and not revoked.`);
  }
  if (err instanceof Stripe.errors.StripePermissionError) {
    return new AppError('unauthorized', `The key lacks a permission needed for ${doing}. Use a secret key or grant the restricted key that permission.`);
  }
  if (err instanceof Stripe.errors.StripeRateLimitError) {
    return new AppError('rate_limited', `Stripe is rate limiting requests while ${doing}. It will be retried shortly.`);
  }
  if (err instanceof Stripe.errors.StripeConnectionError) {
    return new AppError('offline', `Could not reach Stripe while ${doing}. Check the network connection; cached data is still available.`);
  }
  if (err instanceof Stripe.errors.StripeInvalidRequestError) {
    const missing = err.code === 'resource_missing';
    return new AppError(missing ? 'not_found' : 'stripe_error', `Stripe refused the request while ${doing}: ${err.message}`);
  }
  if (err instanceof Stripe.errors.StripeError) {
    return new AppError('stripe_error', `Stripe returned an error while ${doing}: ${err.message}`);
  }
  return new AppError('internal', `Unexpected failure while ${doing}.`);
}
