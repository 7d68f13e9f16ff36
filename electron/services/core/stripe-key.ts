import { AppError } from '../../../shared/contract/errors';
import type { KeyCheck } from '../../../shared/contract/workspace';

/**
 * Checks the shape of a Stripe API key before any network call: secret (sk_) or restricted (rk_),
 * test or live. Publishable keys (pk_) are refused with a message saying which key is needed.
 */
export function checkStripeKeyShape(raw: string): KeyCheck {
  const key = raw.trim();
  if (/^pk_(test|live)_/.test(key)) {
    throw new AppError('bad_input', 'That is a publishable key (pk_…). Paste a secret key (sk_…) or a restricted key (rk_…) from the Stripe Dashboard → Developers → API keys.');
  }
  const m = /^(sk|rk)_(test|live)_[A-Za-z0-9]{10,247}$/.exec(key);
  if (!m) {
    throw new AppError('bad_input', 'This does not look like a Stripe API key. It should start with sk_test_, sk_live_, rk_test_ or rk_live_ followed by letters and digits.');
  }
  return { kind: m[1] === 'sk' ? 'secret' : 'restricted', livemode: m[2] === 'live', hint: key.slice(-4) };
}
