import type Stripe from 'stripe';
import type { Tx } from '../db';
import { HISTORY_WINDOW_SECONDS, planSettledCase, planStripeCase, type FailureFields, type PlannedCase } from '../../services/dunning/case-plan';
import { observeInvoiceObjects } from '../../services/dunning/observe-invoice-object';
import { idOf } from '../../services/stripe/mappers';
import { TEAM_ENTITY } from '../calls/types';
import type { FeedChange } from '../stores/feed';
import { observeSubscriptionObjects } from '../../services/dunning/observe-subscription-object';
import type { ObservedSubject } from '../../services/dunning/observe';
import { isOpenDunningStage } from '../../../shared/contract/dunning';
import { liveObjects, livePaymentsOf, openInvoiceIdsOfSubscriptions, subscriptionsWithOpenInvoices } from '../stores/mirror-reads';
import { caseOf, teamState, type TeamCase } from '../stores/team-state';

// The team's dunning cases from its Stripe mirror: for every invoice a mirror write touched, the
// desk's pure rules (observe-invoice-object.ts, case-plan.ts) say whether a case opens, refreshes
// its failure picture or closes, and the result is written in the mirror write's transaction with
// its feed entries, so every desk's replica queue shows it. Only Stripe-derived columns are
// written: a person's stage (while open) and assignee survive any Stripe update; a payment
// recovers an open case whatever open stage a person set, and the history shows both.
// Subscription-only cases (past_due / unpaid with no open invoice) follow the desk's rule too
// (observe-subscription-object.ts), keyed by `subject` as on the desk; a failing invoice of the
// subscription adopts the open one, as the desk's reconcile does.

export interface DerivedCases {
  opened: number;
  refreshed: number;
  closed: number;
  /** The feed entries of the case and history rows written (cases first), for the caller's one append. */
  changes: FeedChange[];
}

type Row = Record<string, unknown>;

/** What the mirror write touched, as the invoices whose cases may change. */
export async function invoicesTouched(tx: Tx, accountId: string, invoiceIds: Iterable<string>, subscriptionIds: readonly string[]): Promise<string[]> {
  const ids = new Set(invoiceIds);
  if (subscriptionIds.length) {
    for (const id of await openInvoiceIdsOfSubscriptions(tx, accountId, subscriptionIds)) ids.add(id);
    for (const c of await teamState.openCasesOfSubscriptions(tx, accountId, subscriptionIds)) ids.add(c);
  }
  return [...ids];
}

function caseFields(f: FailureFields) {
  return {
    subscriptionId: f.subscription_id,
    amountAtRisk: f.amount_at_risk,
    currency: f.currency,
    failureMark: f.failure_mark,
    declineCode: f.decline_code,
    category: f.category,
    attemptCount: f.attempt_count,
    nextPaymentAttempt: f.next_payment_attempt,
    adviceCode: f.advice_code,
    lastFailureAt: f.last_failure_at,
  };
}

export interface DerivationClock {
  /** Stripe's time of the objects being written (unix s): the rules' "now" (caps, the history window, a close without its own time). */
  stripeTimeS: number;
  /** The host's clock (ms): when the history rows were written. */
  recordedAtMs: number;
}

export async function deriveCases(
  tx: Tx,
  accountId: string,
  touched: { invoiceIds: readonly string[]; subscriptionIds: readonly string[] },
  clock: DerivationClock,
): Promise<DerivedCases> {
  const changes: FeedChange[] = [];
  const out: DerivedCases = { opened: 0, refreshed: 0, closed: 0, changes };
  const ids = [...new Set(touched.invoiceIds)];
  const nowS = clock.stripeTimeS;
  const announce = (c: TeamCase) => changes.push({ accountId, entity: TEAM_ENTITY.dunningCase, entityId: String(c.id), op: 'upsert', data: c });
  const history = async (caseId: number, h: { kind: string; fromStage?: string | null; toStage?: string | null; detail: string | null }) => {
    const entry = await teamState.addHistory(tx, { caseId, at: clock.recordedAtMs, actor: 'stripe', actorAgentId: null, kind: h.kind, fromStage: h.fromStage ?? null, toStage: h.toStage ?? null, detail: h.detail });
    changes.push({ accountId, entity: TEAM_ENTITY.dunningHistory, entityId: String(entry.id), op: 'upsert', data: entry });
  };
  const open = (customerId: string, invoiceId: string | null, f: FailureFields, enteredAmount: number, paymentMethodAtDecline: string | null, openedAt: number, subject: string | null = null) =>
    teamState.openCase(tx, { accountId, customerId, invoiceId, ...caseFields(f), enteredAmount, paymentMethodAtDecline, openedAt, subject });

  /** What the desk's plan says for one subject, written (the same for invoice and subscription-only cases). */
  const apply = async (current: Row | null, s: ObservedSubject) => {
    const plan = planStripeCase(current as unknown as PlannedCase | null, s, nowS);
    switch (plan.kind) {
      case 'none':
        break;
      case 'open': {
        const c = await open(s.customerId, s.invoiceId, plan.fields, plan.enteredAmount, plan.paymentMethodAtDecline, plan.openedAt, s.invoiceId ? null : s.subject);
        await history(c.id, { kind: 'opened', toStage: 'new', detail: plan.fields.decline_code });
        announce(c);
        out.opened++;
        break;
      }
      case 'refresh': {
        const c = await teamState.setCaseStripeFacts(tx, current!.id as number, plan.changes);
        if (plan.newFailure) await history(c.id, { kind: 'failure', detail: plan.declineCode });
        announce(c);
        out.refreshed++;
        break;
      }
      case 'close': {
        const from = current!.stage as string;
        const c = await teamState.closeCaseFromStripe(tx, current!.id as number, { to: plan.to, reason: plan.reason, recoveredAmount: plan.recoveredAmount, atS: plan.closedAt });
        await history(c.id, { kind: 'stage', fromStage: from, toStage: plan.to, detail: plan.reason });
        announce(c);
        out.closed++;
        break;
      }
    }
  };

  const invoices = await liveObjects(tx, accountId, ids);
  const subscriptionOf = (i: Row) => idOf((i as unknown as Stripe.Invoice).parent?.subscription_details?.subscription);
  const subscriptionIds = [...new Set([...touched.subscriptionIds, ...[...invoices.values()].map(subscriptionOf).filter((v): v is string => v != null)])];
  // Open subscription-only cases a failing invoice of theirs adopts (read before the invoices are derived).
  const subscriptionCases = subscriptionIds.length ? await teamState.subscriptionCaseRowsForUpdate(tx, accountId, subscriptionIds) : [];
  const openBySubscription = new Map<string, Row>();
  for (const c of subscriptionCases) if (isOpenDunningStage(c.stage as never)) openBySubscription.set(c.subscription_id as string, c);
  const adoptedCaseIds = new Set<number>();

  if (ids.length) {
    const payments = await livePaymentsOf(tx, accountId, ids);
    const related = await liveObjects(
      tx,
      accountId,
      [...invoices.values()].flatMap((i) => [subscriptionOf(i), idOf(i.customer as string)]).filter((v): v is string => v != null),
    );
    const latest = new Map<string, Row>();
    for (const c of await teamState.invoiceCaseRowsForUpdate(tx, accountId, ids)) latest.set(c.invoice_id as string, c);

    for (const invoiceId of ids) {
      const invoice = (invoices.get(invoiceId) as unknown as Stripe.Invoice | undefined) ?? null;
      let current = latest.get(invoiceId) ?? null;
      const subscriptionId = invoice ? idOf(invoice.parent?.subscription_details?.subscription) : null;
      const customerId = invoice ? idOf(invoice.customer) : null;
      const s = observeInvoiceObjects({
        invoiceId,
        invoice,
        payments: (payments.get(invoiceId) ?? []) as unknown as Stripe.InvoicePayment[],
        subscription: subscriptionId ? ((related.get(subscriptionId) as unknown as Stripe.Subscription | undefined) ?? null) : null,
        customer: customerId ? ((related.get(customerId) as unknown as Stripe.Customer | undefined) ?? null) : null,
        caseCustomerId: (current?.customer_id as string | undefined) ?? null,
      });
      if (!s) continue;

      // The subscription's open subscription-only case is this failure's episode: the invoice adopts it.
      const adopted = !current && s.subscriptionId && s.observation.kind === 'failing' ? openBySubscription.get(s.subscriptionId) : undefined;
      if (adopted) {
        openBySubscription.delete(s.subscriptionId!);
        adoptedCaseIds.add(adopted.id as number);
        current = await teamState.adoptSubscriptionCase(tx, adopted.id as number, invoiceId);
        announce(caseOf(current));
      }

      // Settled before the server first saw it, after a recent failure: a closed case, so the
      // recovery figures cover the recent past (the desk's rule for its first sync).
      if (!current && s.failure.lastFailureAt != null && s.failure.lastFailureAt >= nowS - HISTORY_WINDOW_SECONDS) {
        const settled = planSettledCase({ ...s, amountAtRisk: s.amountDue }, nowS);
        if (settled) {
          const c = await open(s.customerId, invoiceId, settled.fields, settled.enteredAmount, settled.paymentMethodAtDecline, settled.openedAt);
          await history(c.id, { kind: 'opened', toStage: 'new', detail: 'settled before the team server first saw it' });
          await history(c.id, { kind: 'stage', fromStage: 'new', toStage: settled.to, detail: settled.reason });
          announce(await teamState.closeCaseFromStripe(tx, c.id, { to: settled.to, reason: settled.reason, recoveredAmount: settled.recoveredAmount, atS: settled.closedAt }));
          out.closed++;
          continue;
        }
      }
      await apply(current, s);
    }
  }

  if (subscriptionIds.length) await deriveSubscriptionOnly(subscriptionIds, subscriptionCases.filter((c) => !adoptedCaseIds.has(c.id as number)));
  // A desk applies a history row under its case: the cases' entries go first.
  changes.sort((a, b) => rank(a) - rank(b));
  return out;

  /** The desk's subscription-only rule over the subscriptions this write touched. */
  async function deriveSubscriptionOnly(subIds: readonly string[], caseRows: readonly Row[]): Promise<void> {
    const subs = await liveObjects(tx, accountId, subIds);
    const latestOf = (id: string) => idOf((subs.get(id) as unknown as Stripe.Subscription | undefined)?.latest_invoice);
    const latestIds = subIds.map(latestOf).filter((v): v is string => v != null);
    const withOpenInvoice = await subscriptionsWithOpenInvoices(tx, accountId, subIds);
    const withCase = latestIds.length ? await teamState.invoicesWithCases(tx, accountId, latestIds) : new Set<string>();
    const openCase = new Map<string, Row>();
    const bySubject = new Map<string, Row>();
    for (const c of caseRows) {
      if (isOpenDunningStage(c.stage as never)) openCase.set(c.subscription_id as string, c);
      if (c.subject) bySubject.set(c.subject as string, c);
    }
    const candidates = subIds.filter((id) => {
      if (openCase.has(id)) return true;
      const status = (subs.get(id) as { status?: string } | undefined)?.status;
      const latest = latestOf(id);
      return (status === 'past_due' || status === 'unpaid') && !withOpenInvoice.has(id) && !(latest && withCase.has(latest));
    });
    if (!candidates.length) return;
    const candidateLatest = candidates.map(latestOf).filter((v): v is string => v != null);
    const related = await liveObjects(tx, accountId, [...candidateLatest, ...candidates.map((id) => idOf((subs.get(id) as unknown as Stripe.Subscription | undefined)?.customer)).filter((v): v is string => v != null)]);
    const payments = await livePaymentsOf(tx, accountId, candidateLatest);
    for (const id of candidates) {
      const sub = (subs.get(id) as unknown as Stripe.Subscription | undefined) ?? null;
      const latest = latestOf(id);
      const c = openCase.get(id);
      const s = observeSubscriptionObjects({
        subscriptionId: id,
        subscription: sub,
        latestInvoice: latest ? ((related.get(latest) as unknown as Stripe.Invoice | undefined) ?? null) : null,
        latestPayments: (latest ? (payments.get(latest) ?? []) : []) as unknown as Stripe.InvoicePayment[],
        customer: sub ? ((related.get(idOf(sub.customer) ?? '') as unknown as Stripe.Customer | undefined) ?? null) : null,
        openCase: c ? { customerId: c.customer_id as string, subject: c.subject as string } : null,
      });
      if (s) await apply(bySubject.get(s.subject) ?? null, s);
    }
  }
}

const rank = (c: FeedChange) => (c.entity === TEAM_ENTITY.dunningCase ? 0 : 1);
