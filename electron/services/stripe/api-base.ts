import { AppError } from '../../../shared/contract/errors';

// STRIPE_API_BASE points the SDK at any Stripe-compatible server (stripe-mock, the project's
// loopback test server) for the CLI and the web harness. A live key must never go there: the
// server would receive the key itself (in clear when it is http), and with it real money.

export const STRIPE_API_ORIGIN = 'https://api.stripe.com';

/** True when the base is Stripe's own API (unset = Stripe's default). */
export function isStripeApiBase(apiBase: string | undefined): boolean {
  if (apiBase === undefined || apiBase.trim() === '') return true;
  try {
    const url = new URL(apiBase);
    // The SDK takes only the host, port and protocol from the base (stripe/client.ts): the origin decides.
    return url.origin === STRIPE_API_ORIGIN && !url.username && !url.password;
  } catch {
    return false;
  }
}

export function isLiveKey(key: string): boolean {
  return /^(sk|rk)_live_/.test(key.trim());
}

/** The refusal in words, or null when the key may be sent to that base. */
export function liveKeyBaseProblem(key: string, apiBase: string | undefined): string | null {
  if (!isLiveKey(key) || isStripeApiBase(apiBase)) return null;
  let where = 'a server that is not Stripe';
  try {
    where = new URL(apiBase!).origin;
  } catch {
    // an unparsable base is named generically: it may hold anything
  }
  return (
    `A live key (${key.trim().slice(0, 8)}…) is only ever sent to Stripe (${STRIPE_API_ORIGIN}), and STRIPE_API_BASE points at ${where}. ` +
    'Nothing was sent. Use a test key (sk_test_… or rk_test_…) with a test server, or unset STRIPE_API_BASE to work on the live account.'
  );
}

/** Throws the refusal (bad input: the person chose the key and the base) before any request. */
export function assertKeyMayUseBase(key: string, apiBase: string | undefined): void {
  const problem = liveKeyBaseProblem(key, apiBase);
  if (problem) throw new AppError('bad_input', problem);
}
