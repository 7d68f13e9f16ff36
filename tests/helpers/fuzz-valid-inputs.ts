import fc from 'fast-check';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { calls, type CallName } from '../../shared/contract';
import { arbitraryFromSchema, type JsonSchema } from './schema-arbitrary';

// Inputs a contract call's schema accepts AND that name things that exist: the schema-derived
// arbitrary, with the fields that hold ids drawn from the cache as it is right now (customers,
// cases, notes, saved views, proposals, portal configurations, knowledge-base articles, streams)
// and the fields that point outside (URLs, folders, keys) pinned to the loopback stand-ins and temp
// folders. Read again before every call, so ids created by an earlier call (a note, a proposal, a
// stream) are used by the next one.

export interface FuzzWorld {
  db: Database.Database;
  accountId: () => string;
  /** Folders kb.import may read: an empty one and a copy of the sample KB. Never the disk at large. */
  folders: string[];
  /** The loopback OpenAI-compatible base URL (copilot settings may only point there). */
  modelBaseUrl: string;
  /** A Stripe key the loopback stand-in accepts, and the account it answers for. */
  stripeKey: string;
  stripeAccountId: string;
  /** Stream ids the copilot.chat answers returned so far. */
  streamIds: string[];
  /** Portal configuration ids the answers named so far (list, create). */
  configIds: string[];
}

type Arb = fc.Arbitrary<unknown>;

const ids = (db: Database.Database, sql: string, ...params: unknown[]) => (db.prepare(sql).all(...params) as Array<{ id: unknown }>).map((r) => r.id);
const oneOf = <T>(values: T[], fallback: Arb): Arb => (values.length ? fc.constantFrom(...values) : fallback);

/** Field-name overrides (top-level and nested fields share the name's meaning across the contract). */
function fieldPools(w: FuzzWorld, name: CallName): Record<string, Arb> {
  const acct = w.accountId();
  const customers = ids(w.db, 'SELECT id FROM customers WHERE account_id = ? AND deleted = 0 ORDER BY id LIMIT 30', acct) as string[];
  const cases = ids(w.db, 'SELECT id FROM dunning_cases WHERE account_id = ? ORDER BY id', acct) as number[];
  const someCases = fc.uniqueArray(oneOf(cases, fc.constant(1)), { minLength: 1, maxLength: 4 });
  const pools: Record<string, Arb> = {
    customerId: oneOf(customers, fc.constant('cus_none')),
    caseId: oneOf(cases, fc.constant(1)),
    caseIds: someCases,
    noteId: oneOf(ids(w.db, 'SELECT id FROM notes ORDER BY id'), fc.constant(1)),
    folder: fc.constantFrom(...w.folders),
    url: fc.constantFrom('https://example.com/help', 'https://billing.example.com/invoice/1', 'mailto:help@example.com'),
    returnUrl: fc.constantFrom('https://example.com/account', 'https://shop.example.com/billing?from=portal', null),
    baseUrl: fc.constantFrom(w.modelBaseUrl, null),
    privacyPolicyUrl: fc.constantFrom('https://example.com/privacy', null),
    termsOfServiceUrl: fc.constantFrom('https://example.com/terms', null),
    accountId: fc.constantFrom('demo', w.stripeAccountId),
    key: name === 'workspace.setStripeKey' ? fc.constantFrom(w.stripeKey, 'sk_test_51NotAcceptedByTheStandIn000') : fc.constantFrom('sk-proj-FuzzModelKey0123456789abcdef', 'local-key-123456'),
    ref: oneOf((w.db.prepare('SELECT source_path FROM kb_documents').all() as Array<{ source_path: string }>).map((r) => `kb:${path.basename(r.source_path).replace(/\.md$/, '').toLowerCase()}`), fc.constant('kb:refunds')),
    streamId: oneOf(w.streamIds.slice(-20), fc.constant('cs_nosuchstream1')),
    defaultConfigurationId: fc.constantFrom(...w.configIds.slice(-10), null),
  };
  if (name === 'dunning.views.delete') pools.id = oneOf(ids(w.db, 'SELECT id FROM dunning_saved_views ORDER BY id'), fc.constant(1));
  return pools;
}

/** Calls whose fields depend on each other: the pair is drawn together. */
function pairedInput(w: FuzzWorld, name: CallName, base: Arb): Arb | null {
  const acct = w.accountId();
  if (name === 'copilot.confirmAction' || name === 'copilot.dismissAction') {
    const open = w.db.prepare("SELECT id, customer_id FROM copilot_proposals WHERE account_id = ? AND status = 'proposed' ORDER BY created_at_ms DESC LIMIT 20").all(acct) as Array<{ id: string; customer_id: string }>;
    return open.length ? fc.constantFrom(...open.map((p) => ({ customerId: p.customer_id, proposalId: p.id }))) : null;
  }
  if (name === 'portal.createLink') {
    const subs = w.db.prepare("SELECT id, customer_id FROM subscriptions WHERE account_id = ? AND status IN ('active', 'past_due', 'trialing') ORDER BY id LIMIT 20").all(acct) as Array<{ id: string; customer_id: string }>;
    if (!subs.length) return null;
    return fc.tuple(fc.constantFrom(...subs), fc.constantFrom('home', 'payment_method_update', 'subscription_cancel', 'customer_update', 'subscription_update'), base).map(([s, flow, rest]) => ({
      ...(rest as object),
      customerId: s.customer_id,
      flow,
      ...(flow === 'subscription_cancel' || flow === 'subscription_update' ? { subscriptionId: s.id } : {}),
      returnUrl: 'https://example.com/account',
    }));
  }
  if (name === 'portal.configurations.update') {
    const configs = w.configIds.slice(-10);
    return configs.length ? fc.tuple(base, fc.constantFrom(...configs)).map(([v, id]) => ({ ...(v as object), id })) : null;
  }
  return null;
}

/** The valid-input arbitrary of one call, against the world as it is now. */
export function validInputs(w: FuzzWorld, name: CallName): Arb {
  const schema = z.toJSONSchema(calls[name].input, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  const pools = fieldPools(w, name);
  const hints = (pattern: string) => (pattern.startsWith('^cus_') ? (pools.customerId as fc.Arbitrary<string>) : pattern.startsWith('^cs_') ? (pools.streamId as fc.Arbitrary<string>) : null);
  const base = arbitraryFromSchema(schema, hints, pools);
  const paired = pairedInput(w, name, base);
  // Only what the schema accepts leaves here: these are the inputs that must reach the handler.
  return (paired ?? base).filter((v) => calls[name].input.safeParse(v).success);
}

/**
 * Ways to break a valid input: each must be refused as bad_input when the schema refuses it, and
 * otherwise answered with a typed result (the oracle decides which, from the schema).
 */
export function mutationsOf(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  const hostile = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null), fc.constant(-1), fc.constant(''), fc.array(fc.string(), { maxLength: 2 }), fc.constant({}), fc.constantFrom('cus_DOESNOTEXIST', 'prop_doesnotexist1', 'kb:nope', '__proto__', 'https://evil.example', 'file:///etc/passwd'));
  const drops = keys.length ? [fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k)))] : [];
  const replaces = keys.length ? [fc.tuple(fc.constantFrom(...keys), hostile).map(([k, v]) => ({ ...valid, [k]: v }))] : [];
  return fc.oneof(
    ...drops,
    ...replaces,
    fc.tuple(fc.constantFrom('extra', 'customerID', '__proto__', 'constructor'), hostile).map(([k, v]) => {
      const out: Record<string, unknown> = { ...valid };
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      return out;
    }),
    fc.constant([valid]),
    fc.constant(JSON.stringify(valid)),
  );
}
