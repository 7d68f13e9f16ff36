import Stripe from 'stripe';

// POST /stripe/webhook/<account id>: Stripe's deliveries for one account. Stripe delivers at least
// once, in no guaranteed order, and retries anything not answered 2xx quickly. So the receiver
// only verifies and queues: the Stripe-Signature (HMAC-SHA256 of "t.payload" with the endpoint
// secret) is checked with stripe.webhooks.constructEvent on the raw body, bytes as received,
// within 300 s of its timestamp; a verified event goes into the account's inbox (deduplicated by
// event id) and the answer is 200 at once. The account's sync writer applies the inbox in causal
// order with the same guards as the poll (sync/account-sync.ts). A forged, stale or malformed
// delivery gets 400 and nothing is queued.

export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** Stripe's events are far smaller; anything bigger is not a Stripe delivery. */
export const WEBHOOK_MAX_BYTES = 1024 * 1024;

export interface WebhookInbox {
  /** Queues a verified event; 'duplicate' when this event id was queued or applied before. */
  record(accountId: string, event: Stripe.Event): Promise<'queued' | 'duplicate'>;
}

export interface WebhookReceiverDeps {
  /** The account's endpoint secret (whsec_…), or null when the account is unknown or has none. */
  endpointSecret(accountId: string): Promise<string | null>;
  inbox: WebhookInbox;
  /** Epoch milliseconds the signature's age is measured against (default: the clock). */
  nowMs?: () => number;
}

export interface WebhookResponse {
  status: 200 | 400 | 404 | 413;
  body: { received: boolean; duplicate?: boolean; error?: string };
}

/** A workspace id: the Stripe account (test mode), or with ':live' for its live mode (its own endpoint and secret). */
const ACCOUNT_ID = /^acct_[A-Za-z0-9]{1,64}(:live)?$/;

function refuse(status: 400 | 404 | 413, error: string): WebhookResponse {
  return { status, body: { received: false, error } };
}

export async function receiveStripeWebhook(deps: WebhookReceiverDeps, accountId: string, rawBody: Buffer, signatureHeader: string | string[] | undefined): Promise<WebhookResponse> {
  if (!ACCOUNT_ID.test(accountId)) return refuse(404, 'No webhook endpoint here: the path must be /stripe/webhook/<Stripe account id, acct_…, with :live for live mode>.');
  if (rawBody.length > WEBHOOK_MAX_BYTES) return refuse(413, `The delivery is larger than ${WEBHOOK_MAX_BYTES} bytes; Stripe events are far smaller.`);
  const secret = await deps.endpointSecret(accountId);
  if (!secret) return refuse(404, `The team server has no webhook endpoint secret for ${accountId}: an admin sets it (STRIPE_WEBHOOK_SECRET) before Stripe can deliver here.`);
  const header = Array.isArray(signatureHeader) ? signatureHeader[0] : signatureHeader;
  if (!header) return refuse(400, 'The Stripe-Signature header is missing: deliveries must come from Stripe, signed with the endpoint secret.');
  let event: Stripe.Event;
  try {
    const receivedAt = deps.nowMs?.();
    event = Stripe.webhooks.constructEvent(rawBody, header, secret, WEBHOOK_TOLERANCE_SECONDS, undefined, receivedAt);
  } catch (err) {
    const stale = /timestamp outside the tolerance zone/i.test((err as Error).message ?? '');
    return refuse(400, stale ? `The signature is older than ${WEBHOOK_TOLERANCE_SECONDS} seconds (a replayed or delayed delivery); nothing was applied.` : 'The Stripe-Signature does not match this endpoint secret (forged or sent to the wrong endpoint); nothing was applied.');
  }
  if (!event || typeof event.id !== 'string' || typeof event.type !== 'string' || typeof event.created !== 'number' || !event.data?.object) {
    return refuse(400, 'The signed body is not a Stripe event (id, type, created and data.object are required); nothing was applied.');
  }
  const outcome = await deps.inbox.record(accountId, event);
  return { status: 200, body: outcome === 'duplicate' ? { received: true, duplicate: true } : { received: true } };
}
