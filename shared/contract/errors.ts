/** Typed error codes every transport returns; the renderer maps each to words and a next step. */
export const ERROR_CODES = [
  'bad_input', // the input failed the call's schema
  'unknown_call', // no such call in the contract
  'not_found', // the id does not exist in this account's cache
  'conflict', // the action does not fit the object's state (e.g. retry on a paid invoice)
  'refused', // a guard refused the action (e.g. retry after a hard decline)
  'not_configured', // a key, model or setting is missing
  'unauthorized', // Stripe or the model provider rejected the key
  'card_declined', // Stripe declined a payment
  'rate_limited',
  'offline', // the provider could not be reached; cached data still serves reads
  'stripe_error', // any other Stripe API error
  'model_error', // the model provider failed
  'cancelled',
  'forbidden', // transport-level: wrong token or frame
  'internal', // a bug: the message is generic and the details are in the log
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface CallError {
  code: ErrorCode;
  message: string;
  /** Optional structured facts (e.g. decline_code) — never a secret or a stack. */
  details?: Record<string, string | number | boolean | null>;
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: CallError };

/** Thrown by services to return a typed error; anything else thrown becomes `internal`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: CallError['details'],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function isCallError(value: unknown): value is CallError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CallError).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as CallError).code) &&
    typeof (value as CallError).message === 'string'
  );
}
