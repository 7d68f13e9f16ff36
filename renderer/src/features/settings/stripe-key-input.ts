import type { CallError } from '../../../../shared/contract';

// What the Settings form can say about a pasted key before anything is sent: which kind of key it
// looks like and whether it is a live key. The services check it again (shape, then Stripe), so
// this only exists to answer early and in words; it never stores or repeats the key.

export interface KeyInputHint {
  tone: 'info' | 'warn' | 'error';
  text: string;
  /** False when sending it would certainly be refused. */
  submittable: boolean;
}

export function hintForKeyInput(raw: string): KeyInputHint | null {
  const key = raw.trim();
  if (!key) return null;
  if (/^pk_(test|live)_/.test(key)) {
    return { tone: 'error', submittable: false, text: 'This is a publishable key (pk_…): it cannot read customers or invoices. Paste a secret key (sk_…) or a restricted key (rk_…).' };
  }
  if (/^whsec_/.test(key)) return { tone: 'error', submittable: false, text: 'This is a webhook signing secret, not an API key. Paste a secret (sk_…) or restricted (rk_…) key.' };
  const m = /^(sk|rk)_(test|live)_[A-Za-z0-9]{10,247}$/.exec(key);
  if (m) {
    const kind = m[1] === 'sk' ? 'Secret key' : 'Restricted key';
    return m[2] === 'live'
      ? { tone: 'warn', submittable: true, text: `${kind}, LIVE mode: actions you take will affect real customers and real money.` }
      : { tone: 'info', submittable: true, text: `${kind}, test mode.` };
  }
  if (/^(sk|rk)_/.test(key)) {
    return { tone: 'error', submittable: false, text: 'This looks like part of a Stripe key, but not a whole one. Copy it again: it should be sk_test_/sk_live_/rk_test_/rk_live_ followed by letters and digits.' };
  }
  return { tone: 'error', submittable: false, text: 'This does not look like a Stripe API key. In the Stripe Dashboard open Developers → API keys and copy the secret key.' };
}

/** The next step to show under a refused key, by error code (the message itself comes from the services). */
export function nextStepForKeyError(error: Pick<CallError, 'code'>): string {
  switch (error.code) {
    case 'unauthorized':
      return 'Stripe did not accept this key. Check that you copied all of it; a rolled or deleted key stops working. Nothing was saved.';
    case 'offline':
      return 'Stripe could not be reached, so the key could not be checked and was not saved. Check the connection and try again.';
    case 'rate_limited':
      return 'Stripe asked us to slow down. Wait a few seconds and try again.';
    case 'bad_input':
      return 'Nothing was sent to Stripe and nothing was saved.';
    case 'not_configured':
      return 'The key was checked but could not be stored safely on this computer. Nothing was saved.';
    default:
      return 'The key was not saved. Try again; if it keeps failing, the app log has the details.';
  }
}
