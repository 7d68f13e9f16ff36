import { z } from 'zod';
import { call } from './define';
import { customerId, noteBody, shortText } from './ids';
import type { DeclineCategory } from '../domain/decline-codes';

// The dunning queue: cases derived from Stripe data (failed invoice payments, past_due/unpaid
// subscriptions), worked by team leads. Money is integer minor units beside its currency; case
// times are unix seconds (Stripe's clock).

export const DUNNING_STAGES = ['new', 'contacted', 'awaiting_customer', 'recovered', 'lost'] as const;
export type DunningStage = (typeof DUNNING_STAGES)[number];
export const OPEN_DUNNING_STAGES = ['new', 'contacted', 'awaiting_customer'] as const satisfies readonly DunningStage[];
export type OpenDunningStage = (typeof OPEN_DUNNING_STAGES)[number];
/** A case in an open stage is still being worked (the queue); recovered and lost are closed for good. */
export function isOpenDunningStage(stage: string): stage is OpenDunningStage {
  return (OPEN_DUNNING_STAGES as readonly string[]).includes(stage);
}
/** Stages a person may move a case to: `recovered` only ever comes from Stripe (the invoice was paid). */
export const MANUAL_DUNNING_STAGES = ['new', 'contacted', 'awaiting_customer', 'lost'] as const satisfies readonly DunningStage[];
export type ManualDunningStage = (typeof MANUAL_DUNNING_STAGES)[number];

export const DECLINE_CATEGORIES = ['authentication', 'hard', 'expired_card', 'insufficient_funds', 'soft', 'unknown'] as const satisfies readonly DeclineCategory[];

export const DUNNING_SORT_KEYS = ['amount', 'age', 'attempts', 'next_retry'] as const;
export type DunningSortKey = (typeof DUNNING_SORT_KEYS)[number];

/** Why a case closed. */
export type DunningClosedReason = 'paid' | 'voided' | 'uncollectible' | 'subscription_canceled' | 'subscription_active' | 'object_gone' | 'manual';

export interface DunningCaseRow {
  id: number;
  customerId: string;
  customerName: string | null;
  customerEmail: string | null;
  invoiceId: string | null;
  invoiceNumber: string | null;
  subscriptionId: string | null;
  stage: DunningStage;
  assignee: string | null;
  /** What is still unpaid (minor units of `currency`). */
  amountAtRisk: number;
  /** The invoice's amount_due (the amount at risk for a subscription-only case). */
  amountDue: number;
  currency: string;
  recoveredAmount: number;
  attemptCount: number;
  /** Stripe's next automatic retry (unix s), null when none is scheduled. */
  nextPaymentAttempt: number | null;
  declineCode: string | null;
  adviceCode: string | null;
  category: DeclineCategory;
  openedAt: number;
  stageChangedAt: number;
  closedAt: number | null;
  closedReason: DunningClosedReason | null;
  /** Whole days from the first failure to now (or to closing). */
  daysInDunning: number;
  noteCount: number;
}

export interface DunningHistoryEntry {
  id: number;
  /** Unix ms. */
  at: number;
  actor: string;
  kind: 'opened' | 'stage' | 'assigned' | 'failure' | 'retry' | 'portal_link';
  fromStage: string | null;
  toStage: string | null;
  detail: string | null;
}

export interface DunningNote {
  id: number;
  body: string;
  author: string;
  /** Unix ms. */
  createdAt: number;
}

/** Whether a retry may be started now, and if not, why (in words for the agent). */
export interface RetryEligibility {
  allowed: boolean;
  reason: string | null;
  /** True when the customer's default payment method differs from the one that was declined. */
  paymentMethodChanged: boolean;
}

export interface DunningCaseDetail extends DunningCaseRow {
  declineExplanation: string;
  adviceExplanation: string | null;
  paymentMethodAtDecline: string | null;
  currentPaymentMethod: string | null;
  retry: RetryEligibility;
  notes: DunningNote[];
  history: DunningHistoryEntry[];
}

export type RetryOutcome =
  | { result: 'succeeded'; caseId: number; invoiceId: string; amountPaid: number; currency: string; message: string; idempotencyKey: string }
  | {
      result: 'declined';
      caseId: number;
      invoiceId: string;
      declineCode: string | null;
      adviceCode: string | null;
      category: DeclineCategory;
      /** The decline in words, and Stripe's advice, as returned by the 402 card error. */
      explanation: string;
      advice: string | null;
      message: string;
      idempotencyKey: string;
    }
  | { result: 'simulated'; caseId: number; invoiceId: string; message: string; idempotencyKey: string };

export interface CurrencyAmount {
  currency: string;
  amount: number;
  count: number;
}

export interface RecoveryRate {
  currency: string;
  /** Amount that entered dunning in the period (cases opened in it). */
  entered: number;
  /** Of that, what was recovered so far. */
  recovered: number;
  /** recovered ÷ entered, 0..1; null when nothing entered. */
  rate: number | null;
  cases: number;
}

export interface CategoryMetrics {
  category: DeclineCategory;
  currency: string;
  openCases: number;
  atRisk: number;
  entered: number;
  recovered: number;
  recoveredCases: number;
  lostCases: number;
  rate: number | null;
}

/** One assignee's share of the queue (the lead's per-agent view); agent and name null: unassigned. */
export interface AssigneeWorkload {
  /** The team agent's id on a team desk; null on a solo desk (free-text names) and for unassigned. */
  agentId: string | null;
  /** The name shown; null for the unassigned row. */
  assignee: string | null;
  openCases: number;
  /** Open cases' amount at risk, per currency (count: open cases in that currency). */
  atRisk: CurrencyAmount[];
  /** Recovered in the last 90 days (closed as recovered then), per currency. */
  recovered90: CurrencyAmount[];
}

export interface DunningMetrics {
  /** Unix s the figures were computed at. */
  asOf: number;
  atRisk: CurrencyAmount[];
  recovered30: CurrencyAmount[];
  recovered90: CurrencyAmount[];
  recoveryRate30: RecoveryRate[];
  recoveryRate90: RecoveryRate[];
  byCategory: CategoryMetrics[];
  /** Seconds from the first failure to payment, over cases recovered in the last 90 days. */
  timeToRecover: { cases: number; medianSeconds: number | null; p90Seconds: number | null; buckets: Array<{ label: string; count: number }> };
  /** Per assignee (most open cases first, unassigned last): who holds what is at risk. */
  byAssignee: AssigneeWorkload[];
}

const stage = z.enum(DUNNING_STAGES);
const category = z.enum(DECLINE_CATEGORIES);
const currency = z.string().regex(/^[a-zA-Z]{3}$/, 'A currency is a three-letter ISO code').transform((c) => c.toLowerCase());
/** An assignee name; null in a filter means "unassigned". */
const assigneeName = z.string().trim().min(1).max(80);

export const dunningFiltersSchema = z
  .object({
    /** Default: the open stages. */
    stages: z.array(stage).min(1).max(5).optional(),
    categories: z.array(category).min(1).max(6).optional(),
    currency: currency.optional(),
    /** Amount at risk bounds in MAJOR units of each case's own currency (100 means $100 or ¥100). */
    amountMin: z.number().nonnegative().max(1e12).optional(),
    amountMax: z.number().nonnegative().max(1e12).optional(),
    /** An assignee's name, or null for unassigned cases. */
    assignee: assigneeName.nullable().optional(),
    minAgeDays: z.number().int().min(0).max(100_000).optional(),
    maxAgeDays: z.number().int().min(0).max(100_000).optional(),
    /** Customer name/email, invoice id/number, customer id, decline code. */
    query: shortText(200).optional(),
    customerId: customerId.optional(),
  })
  .strict()
  .refine((f) => f.amountMin == null || f.amountMax == null || f.amountMin <= f.amountMax, { message: 'amountMin must not exceed amountMax' })
  .refine((f) => f.minAgeDays == null || f.maxAgeDays == null || f.minAgeDays <= f.maxAgeDays, { message: 'minAgeDays must not exceed maxAgeDays' });
export type DunningFilters = z.input<typeof dunningFiltersSchema>;

export const dunningSortSchema = z
  .object({ by: z.enum(DUNNING_SORT_KEYS).default('amount'), dir: z.enum(['asc', 'desc']).default('desc') })
  .strict();
export type DunningSort = z.input<typeof dunningSortSchema>;

export interface DunningQuery {
  filters: z.output<typeof dunningFiltersSchema>;
  sort: z.output<typeof dunningSortSchema>;
}

export interface SavedDunningView {
  id: number;
  name: string;
  filters: DunningFilters;
  sort: DunningSort;
  createdBy: string;
  updatedAt: number;
}

const caseId = z.number().int().positive();
const caseIds = z.array(caseId).min(1).max(1000);

export const dunningCalls = {
  /** Open cases in the current account (rail badge). */
  'dunning.count': call<{ open: number }>()(z.object({}).strict()),
  'dunning.list': call<{ rows: DunningCaseRow[]; total: number; totals: CurrencyAmount[] }>()(
    z
      .object({
        filters: dunningFiltersSchema.default({}),
        sort: dunningSortSchema.default({ by: 'amount', dir: 'desc' }),
        offset: z.number().int().min(0).max(10_000_000).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
  ),
  'dunning.get': call<DunningCaseDetail>()(z.object({ caseId }).strict()),
  'dunning.assign': call<{ updated: number[] }>()(z.object({ caseIds, assignee: assigneeName.nullable() }).strict()),
  /** Manual stage moves (bulk "mark contacted" too); each accepted or refused move leaves one audit row. */
  'dunning.setStage': call<{ moved: number[]; refused: Array<{ caseId: number; reason: string }> }>()(
    z.object({ caseIds, stage: z.enum(MANUAL_DUNNING_STAGES) }).strict(),
  ),
  'dunning.addNote': call<DunningNote>()(z.object({ caseId, body: noteBody }).strict()),
  /** Sends (creates and records) a payment-method-update portal link for each case's customer. */
  'dunning.sendPortalLinks': call<{
    sent: Array<{ caseId: number; customerId: string; url: string; simulated: boolean }>;
    failed: Array<{ caseId: number; message: string }>;
  }>()(z.object({ caseIds }).strict()),
  /** Retries the case's invoice payment now (invoices.pay). Person-initiated; confirmed in the UI. */
  'dunning.retry': call<RetryOutcome>()(z.object({ caseId }).strict()),
  'dunning.exportCsv': call<{ filename: string; csv: string; rows: number }>()(
    z.object({ filters: dunningFiltersSchema.default({}), sort: dunningSortSchema.default({ by: 'amount', dir: 'desc' }) }).strict(),
  ),
  'dunning.metrics': call<DunningMetrics>()(z.object({}).strict()),
  'dunning.assignees': call<string[]>()(z.object({}).strict()),
  'dunning.views.list': call<SavedDunningView[]>()(z.object({}).strict()),
  'dunning.views.save': call<SavedDunningView>()(
    z.object({ name: z.string().trim().min(1).max(80), filters: dunningFiltersSchema, sort: dunningSortSchema }).strict(),
  ),
  'dunning.views.delete': call<{ deleted: boolean }>()(z.object({ id: z.number().int().positive() }).strict()),
};
