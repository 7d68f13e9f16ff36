import type Database from 'better-sqlite3';
import { prepared } from '../db/statements';
import type { IngestResult } from '../stripe/ingest';
import type { ProductNames } from '../stripe/product-names';
import { applyMirrorEntry, type MirrorEntry } from '../sync/apply-mirror-entry';
import { applyTeamKbArticle, type TeamKbArticle } from '../copilot/kb/team-articles';
import type { WireEntry } from './team-client';

// One feed entry (or snapshot row) into the desk's cache. Stripe objects go through the desk's own
// ingest (mappers → tables → FTS) with the entry's seq as the version, so a later entry wins and a
// repeat is a no-op; team rows (what people decided) are upserted under the server's ids by small
// appliers. Each applier is idempotent: applying an entry twice leaves the same rows.

type Kind = NonNullable<IngestResult['kind']> | 'dunning' | 'notes' | 'portal_links' | 'kb';
export interface Applied {
  kind: Kind | null;
  customerId: string | null;
}

const NONE: Applied = { kind: null, customerId: null };
type Row = Record<string, unknown>;

const MIRROR_TYPES = new Set<MirrorEntry['type']>(['customer', 'subscription', 'invoice', 'payment_method', 'invoice_payment', 'product']);

function subjectOf(c: Row): string {
  if (c.invoiceId) return `invoice:${c.invoiceId}`;
  if (c.subscriptionId) return `subscription:${c.subscriptionId}`;
  return `customer:${c.customerId}`;
}

const TEAM_APPLIERS: Record<string, (db: Database.Database, accountId: string, e: WireEntry) => Applied> = {
  note(db, accountId, e) {
    if (e.op === 'delete') {
      prepared(db, 'DELETE FROM notes WHERE account_id = ? AND id = ?').run(accountId, Number(e.id));
      return { kind: 'notes', customerId: null };
    }
    const n = e.data as Row;
    prepared(
      db,
      `INSERT INTO notes (id, account_id, customer_id, dunning_case_id, body, author, author_agent_id, created_at_ms, updated_at_ms)
       VALUES (@id, @account, @customer, @caseId, @body, @author, @agent, @created, @updated)
       ON CONFLICT (id) DO UPDATE SET body = excluded.body, author = excluded.author, author_agent_id = excluded.author_agent_id,
         dunning_case_id = excluded.dunning_case_id, updated_at_ms = excluded.updated_at_ms`,
    ).run({ id: n.id, account: accountId, customer: n.customerId, caseId: n.dunningCaseId ?? null, body: n.body, author: n.author, agent: n.authorAgentId ?? null, created: n.createdAt, updated: n.updatedAt });
    return { kind: 'notes', customerId: n.customerId as string };
  },

  dunning_case(db, accountId, e) {
    if (e.op === 'delete') {
      prepared(db, 'DELETE FROM dunning_cases WHERE account_id = ? AND id = ?').run(accountId, Number(e.id));
      return { kind: 'dunning', customerId: null };
    }
    const c = e.data as Row;
    prepared(
      db,
      `INSERT INTO dunning_cases (id, account_id, customer_id, invoice_id, subscription_id, subject, stage, assignee, assignee_agent_id, amount_at_risk, entered_amount,
         currency, decline_code, category, failure_mark, opened_at, stage_changed_at, closed_at, closed_reason, recovered_amount,
         attempt_count, next_payment_attempt, advice_code, last_failure_at, payment_method_at_decline)
       VALUES (@id, @account, @customer, @invoice, @subscription, @subject, @stage, @assignee, @assigneeAgent, @amount, @entered,
         @currency, @decline, @category, @mark, @opened, @changed, @closed, @closedReason, @recovered,
         @attempts, @nextAttempt, @advice, @lastFailure, @declinedMethod)
       ON CONFLICT (id) DO UPDATE SET stage = excluded.stage, assignee = excluded.assignee, assignee_agent_id = excluded.assignee_agent_id,
         subscription_id = excluded.subscription_id, amount_at_risk = excluded.amount_at_risk, entered_amount = excluded.entered_amount, currency = excluded.currency,
         decline_code = excluded.decline_code, category = excluded.category, failure_mark = excluded.failure_mark,
         stage_changed_at = excluded.stage_changed_at, closed_at = excluded.closed_at, closed_reason = excluded.closed_reason, recovered_amount = excluded.recovered_amount,
         attempt_count = excluded.attempt_count, next_payment_attempt = excluded.next_payment_attempt, advice_code = excluded.advice_code,
         last_failure_at = excluded.last_failure_at, payment_method_at_decline = excluded.payment_method_at_decline`,
    ).run({
      id: c.id,
      account: accountId,
      customer: c.customerId,
      invoice: c.invoiceId ?? null,
      subscription: c.subscriptionId ?? null,
      subject: subjectOf(c),
      stage: c.stage,
      assignee: c.assignee ?? null,
      assigneeAgent: c.assigneeAgentId ?? null,
      amount: c.amountAtRisk ?? 0,
      // Derived from Stripe on the server (its cases carry the desk's failure picture); older servers send none.
      entered: c.enteredAmount ?? c.amountAtRisk ?? 0,
      attempts: c.attemptCount ?? 0,
      nextAttempt: c.nextPaymentAttempt ?? null,
      advice: c.adviceCode ?? null,
      lastFailure: c.lastFailureAt ?? null,
      declinedMethod: c.paymentMethodAtDecline ?? null,
      currency: c.currency,
      decline: c.declineCode ?? null,
      category: c.category ?? 'unknown',
      mark: c.failureMark ?? 0,
      opened: c.openedAt,
      changed: c.stageChangedAt ?? c.openedAt,
      closed: c.closedAt ?? null,
      closedReason: c.closedReason ?? null,
      recovered: c.recoveredAmount ?? 0,
    });
    return { kind: 'dunning', customerId: c.customerId as string };
  },

  dunning_history(db, _accountId, e) {
    if (e.op === 'delete') {
      prepared(db, 'DELETE FROM dunning_case_history WHERE id = ?').run(Number(e.id));
      return { kind: 'dunning', customerId: null };
    }
    const h = e.data as Row;
    prepared(
      db,
      `INSERT INTO dunning_case_history (id, case_id, at_ms, actor, kind, from_stage, to_stage, detail) VALUES (@id, @caseId, @at, @actor, @kind, @from, @to, @detail)
       ON CONFLICT (id) DO UPDATE SET actor = excluded.actor, detail = excluded.detail`,
    ).run({ id: h.id, caseId: h.caseId, at: h.at, actor: h.actor, kind: h.kind, from: h.fromStage ?? null, to: h.toStage ?? null, detail: h.detail ?? null });
    return { kind: 'dunning', customerId: null };
  },

  saved_view(db, _accountId, e) {
    if (e.op === 'delete') {
      prepared(db, 'DELETE FROM dunning_saved_views WHERE id = ?').run(Number(e.id));
      return { kind: 'dunning', customerId: null };
    }
    const v = e.data as Row;
    // Names are unique on the desk (case-insensitive): a server rename onto another view's old name replaces it.
    prepared(db, 'DELETE FROM dunning_saved_views WHERE name = ? COLLATE NOCASE AND id != ?').run(v.name, v.id);
    prepared(
      db,
      `INSERT INTO dunning_saved_views (id, name, query_json, created_by, created_at_ms, updated_at_ms) VALUES (@id, @name, @q, @by, @at, @at)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, query_json = excluded.query_json, updated_at_ms = excluded.updated_at_ms`,
    ).run({ id: v.id, name: v.name, q: JSON.stringify({ filters: v.filters ?? {}, sort: v.sort ?? {} }), by: v.createdBy, at: v.updatedAt });
    return { kind: 'dunning', customerId: null };
  },

  portal_link(db, accountId, e) {
    if (e.op === 'delete') {
      prepared(db, 'DELETE FROM portal_links WHERE account_id = ? AND id = ?').run(accountId, Number(e.id));
      return { kind: 'portal_links', customerId: null };
    }
    const l = e.data as Row;
    prepared(
      db,
      `INSERT INTO portal_links (id, account_id, customer_id, subscription_id, flow, session_id, url, return_url, configuration_id, simulated, created_by, created_at_ms, recovers_after_expiry)
       VALUES (@id, @account, @customer, @subscription, @flow, @session, @url, @returnUrl, @configuration, @simulated, @by, @at, @recovers)
       ON CONFLICT (id) DO UPDATE SET url = excluded.url, session_id = excluded.session_id`,
    ).run({
      id: l.id,
      account: accountId,
      customer: l.customerId,
      subscription: l.subscriptionId ?? null,
      flow: l.flow,
      session: l.sessionId ?? null,
      url: l.url ?? '',
      returnUrl: l.returnUrl ?? null,
      configuration: l.configurationId ?? null,
      simulated: l.simulated ? 1 : 0,
      by: l.createdBy,
      at: l.createdAt,
      recovers: l.recoversAfterExpiry ? 1 : 0,
    });
    return { kind: 'portal_links', customerId: l.customerId as string };
  },

  // The team's knowledge base: the copilot's grounding reads it from the desk's own tables.
  kb_article(db, _accountId, e) {
    applyTeamKbArticle(db, e.id, e.op === 'delete' ? null : (e.data as TeamKbArticle), Date.now());
    return { kind: 'kb', customerId: null };
  },
};

/** Entities this desk version does not store yet (portal settings live on the server). */
const IGNORED = new Set(['portal_settings']);

export function applyTeamEntry(db: Database.Database, accountId: string, e: WireEntry, productNames?: ProductNames): Applied {
  if (e.entity.startsWith('stripe.')) {
    const type = e.entity.slice('stripe.'.length) as MirrorEntry['type'];
    if (!MIRROR_TYPES.has(type)) return NONE;
    const r = applyMirrorEntry(db, accountId, { type, id: e.id, object: (e.data as MirrorEntry['object']) ?? null, deleted: e.op === 'delete', sourceTs: e.seq }, productNames);
    return { kind: r.kind, customerId: r.customerId };
  }
  const applier = TEAM_APPLIERS[e.entity];
  if (!applier) {
    if (!IGNORED.has(e.entity)) return NONE;
    return NONE;
  }
  return applier(db, accountId, e);
}

/** Snapshot order: products before the items that name them, cases before their history and notes. */
export function snapshotRank(e: WireEntry): number {
  if (e.entity === 'stripe.product') return 0;
  if (e.entity === 'stripe.customer') return 1;
  if (e.entity.startsWith('stripe.')) return 2;
  if (e.entity === 'dunning_case') return 3;
  return 4;
}
