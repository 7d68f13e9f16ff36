import fc from 'fast-check';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { receiveStripeWebhook, WEBHOOK_TOLERANCE_SECONDS, type WebhookInbox } from '../../electron/team-server/webhooks/receive';

// The webhook endpoint's decisions: only a delivery signed with the account's endpoint secret,
// on the exact bytes received, within 300 s, is queued; everything else is a 400 in words and
// nothing reaches the inbox. The same event twice is queued once.

const ACCOUNT = 'acct_1WebhookUnit0001';
const SECRET = 'whsec_unitTestSecret0000000000000001';
const NOW = 1_790_000_000;

class MemoryInbox implements WebhookInbox {
  readonly events = new Map<string, Stripe.Event>();
  async record(_accountId: string, event: Stripe.Event) {
    if (this.events.has(event.id)) return 'duplicate' as const;
    this.events.set(event.id, event);
    return 'queued' as const;
  }
}

function event(id = 'evt_1', type = 'customer.updated'): string {
  return JSON.stringify({ id, object: 'event', type, created: NOW - 2, api_version: Stripe.API_VERSION, data: { object: { id: 'cus_1', object: 'customer', name: 'Ada' } } });
}

function sign(payload: string, opts: { secret?: string; timestamp?: number } = {}): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? SECRET, timestamp: opts.timestamp ?? NOW });
}

function receiver(inbox = new MemoryInbox(), secrets: Record<string, string> = { [ACCOUNT]: SECRET }) {
  const deps = { endpointSecret: async (a: string) => secrets[a] ?? null, inbox, nowMs: () => NOW * 1000 };
  return { inbox, receive: (body: string | Buffer, header: string | undefined, account = ACCOUNT) => receiveStripeWebhook(deps, account, Buffer.isBuffer(body) ? body : Buffer.from(body), header) };
}

describe('receiveStripeWebhook', () => {
  it('queues a signed delivery and answers 200; the same event again is a duplicate, queued once', async () => {
    const { inbox, receive } = receiver();
    const body = event();
    expect(await receive(body, sign(body))).toEqual({ status: 200, body: { received: true } });
    expect(await receive(body, sign(body, { timestamp: NOW - 10 }))).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect([...inbox.events.keys()]).toEqual(['evt_1']);
  });

  it.each([
    ['signed with another secret (forged)', (b: string) => sign(b, { secret: 'whsec_attacker' }), /does not match this endpoint secret/],
    ['older than the tolerance (replayed)', (b: string) => sign(b, { timestamp: NOW - WEBHOOK_TOLERANCE_SECONDS - 1 }), /older than 300 seconds/],
    ['no signature header', () => undefined, /Stripe-Signature header is missing/],
    ['a garbage header', () => 'not a signature', /does not match/],
  ])('refuses a delivery %s with 400 in words; nothing queued', async (_label, header, message) => {
    const { inbox, receive } = receiver();
    const body = event();
    const r = await receive(body, header(body));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(message);
    expect(r.body.error).toMatch(/./);
    expect(inbox.events.size).toBe(0);
  });

  it('accepts a signature just inside the tolerance', async () => {
    const { receive } = receiver();
    const body = event();
    expect((await receive(body, sign(body, { timestamp: NOW - WEBHOOK_TOLERANCE_SECONDS + 5 }))).status).toBe(200);
  });

  it('verifies the raw bytes: the same JSON re-serialised (spacing, key order) does not verify', async () => {
    const { inbox, receive } = receiver();
    const body = event();
    const reformatted = JSON.stringify(JSON.parse(body), null, 2);
    expect((await receive(reformatted, sign(body))).status).toBe(400);
    expect(inbox.events.size).toBe(0);
  });

  it("a live-mode workspace (acct_…:live) is its own endpoint with its own secret", async () => {
    const live = `${ACCOUNT}:live`;
    const { inbox, receive } = receiver(new MemoryInbox(), { [ACCOUNT]: SECRET, [live]: 'whsec_liveSecret' });
    const body = event('evt_live');
    expect((await receive(body, sign(body), live)).status).toBe(400);
    expect((await receive(body, sign(body, { secret: 'whsec_liveSecret' }), live)).status).toBe(200);
    expect([...inbox.events.keys()]).toEqual(['evt_live']);
  });

  it('unknown account, an account without secret, or a bad path: 404; nothing queued', async () => {
    const { inbox, receive } = receiver();
    const body = event();
    expect((await receive(body, sign(body), 'acct_1Other')).status).toBe(404);
    expect((await receive(body, sign(body), '../etc')).status).toBe(404);
    expect(inbox.events.size).toBe(0);
  });

  it('a signed body that is not an event: 400', async () => {
    const { inbox, receive } = receiver();
    const body = JSON.stringify({ hello: 'world' });
    const r = await receive(body, sign(body));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/not a Stripe event/);
    expect(inbox.events.size).toBe(0);
  });

  it('property: any change to a signed body is refused (no byte of the payload is unchecked)', async () => {
    const body = event();
    const header = sign(body);
    await fc.assert(
      fc.asyncProperty(fc.nat(body.length - 1), fc.integer({ min: 1, max: 255 }), async (at, delta) => {
        const bytes = Buffer.from(body);
        bytes[at] = (bytes[at] + delta) % 256;
        const { inbox, receive } = receiver();
        expect((await receive(bytes, header)).status).toBe(400);
        expect(inbox.events.size).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
