import type pg from 'pg';
import Stripe from 'stripe';
import { createLogger } from '../../electron/services/core/log';
import { Redactor } from '../../electron/services/core/redact';
import { migrateTeamDb } from '../../electron/team-server/migrate';
import { ensureSyncState } from '../../electron/team-server/sync/pg-sink';
import type { RequestLogEntry, StripeServer } from '../stripe-server';

// Shared pieces of the team sync tests: a registered account, a logger that keeps its lines, a
// signed webhook delivery, list pages requested more than once, and waiting for a condition.

export async function registerAccount(pool: pg.Pool, accountId: string): Promise<void> {
  await migrateTeamDb(pool);
  await pool.query('INSERT INTO stripe_accounts (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [accountId, 'Team test']);
  await ensureSyncState(pool, accountId);
}

export function testLogger(lines: string[] = []) {
  return { lines, log: createLogger(new Redactor(), (l) => lines.push(l), 'debug') };
}

export function signedDelivery(event: unknown, secret: string, timestampSeconds = Math.floor(Date.now() / 1000)): { body: Buffer; signature: string } {
  const payload = JSON.stringify(event);
  return { body: Buffer.from(payload), signature: Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: timestampSeconds }) };
}

/** Backfill list pages (GET on a list endpoint with the same query) requested more than once. */
export function repeatedPages(requests: RequestLogEntry[]): string[] {
  const seen = new Map<string, number>();
  for (const r of requests) {
    if (r.method !== 'GET' || r.injected || r.status !== 200) continue;
    if (!/^\/v1\/(customers|subscriptions|invoices|invoice_payments)$/.test(r.path) && !/^\/v1\/customers\/[^/]+\/payment_methods$/.test(r.path)) continue;
    const key = `${r.path} ${r.query}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} x${n}`);
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The events a change on the test server emits (a later second, so the change is newer than any page). */
export function eventsOf(server: StripeServer, change: () => void): Stripe.Event[] {
  const events: Stripe.Event[] = [];
  const off = server.store.onEvent((e) => events.push(e as unknown as Stripe.Event));
  try {
    server.clock.advance(5);
    change();
  } finally {
    off();
  }
  return events;
}
