import { z } from 'zod';
import { call } from './define';
import { customerId, noteBody, shortText } from './ids';
import type { DeclineCategory } from '../domain/decline-codes';

/** What kind of field a search hit matched on (best first, as ranked). */
export type SearchMatchKind =
  | 'id' // an exact Stripe id (cus_, sub_, in_, pi_, ch_, pm_, inpay_) resolved to its customer
  | 'email' // the exact email address (case-insensitive)
  | 'invoice_number'
  | 'card' // card last4
  | 'phone'
  | 'id_prefix' // the start of a Stripe id or invoice number
  | 'name'
  | 'email_partial' // part of the email: local part, domain
  | 'metadata' // a metadata value or the description
  | 'similar'; // a spelling within one edit (typo) or the same word without accents

export interface SearchHit {
  id: string;
  name: string | null;
  email: string | null;
  /** Why this customer matched, e.g. "invoice ABC-0012" or "card •••• 4242". */
  matched: string;
  matchKind: SearchMatchKind;
  delinquent: boolean;
  created: number;
  phone: string | null;
  /** Subscriptions by status, worst first, e.g. "past_due · 2 active"; null when none. */
  subscriptionSummary: string | null;
  /** The default card (or the newest one), to tell apart customers who share an email. */
  cardBrand: string | null;
  cardLast4: string | null;
  /** How many (non-deleted) customers of this account share this email; 1 when it is unique. */
  sameEmailCount: number;
}

export interface SubscriptionItemView {
  id: string;
  productName: string | null;
  priceNickname: string | null;
  unitAmount: number | null;
  currency: string | null;
  interval: string | null;
  intervalCount: number | null;
  quantity: number;
  currentPeriodStart: number | null;
  currentPeriodEnd: number | null;
}

export interface SubscriptionView {
  id: string;
  status: string;
  currency: string;
  cancelAtPeriodEnd: boolean;
  cancelAt: number | null;
  canceledAt: number | null;
  trialEnd: number | null;
  currentPeriodStart: number | null;
  currentPeriodEnd: number | null;
  /** Monthly recurring amount in minor units (yearly prices ÷ 12, weekly × 52 ÷ 12). */
  monthlyAmount: number;
  items: SubscriptionItemView[];
  created: number;
}

export interface PaymentAttemptView {
  id: string;
  status: string;
  amount: number;
  currency: string;
  created: number;
  paymentIntentId: string | null;
  chargeId: string | null;
  declineCode: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  adviceCode: string | null;
  /** The decline explained in words, and Stripe's advice (or the next step its category calls for). */
  explanation: string | null;
  advice: string | null;
  category: DeclineCategory | null;
  cardBrand: string | null;
  cardLast4: string | null;
}

export interface InvoiceView {
  id: string;
  number: string | null;
  status: string | null;
  currency: string;
  amountDue: number;
  amountPaid: number;
  amountRemaining: number;
  total: number;
  attemptCount: number;
  nextPaymentAttempt: number | null;
  dueDate: number | null;
  created: number;
  subscriptionId: string | null;
  hostedInvoiceUrl: string | null;
  declineCode: string | null;
  attempts: PaymentAttemptView[];
}

export interface PaymentMethodView {
  id: string;
  type: string;
  brand: string | null;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
  isDefault: boolean;
  expiringSoon: boolean;
  expired: boolean;
}

export interface DunningSummary {
  caseId: number;
  stage: string;
  category: DeclineCategory;
  amountAtRisk: number;
  currency: string;
  invoiceId: string | null;
  declineCode: string | null;
  assignee: string | null;
  openedAt: number;
  closedAt: number | null;
  /** From the invoice: how many times Stripe tried, and when it tries next (null: no retry planned). */
  attemptCount: number;
  nextPaymentAttempt: number | null;
}

export interface NoteView {
  id: number;
  body: string;
  author: string;
  createdAt: number;
  updatedAt: number;
  /** Team mode: written on this desk while the team server could not be reached; sent on reconnect. */
  pending?: boolean;
  /** Team mode: the team server refused this queued note (role, conflict), in words. */
  notSaved?: string;
}

export interface TimelineEntry {
  id: string;
  type: string;
  summary: string;
  objectId: string | null;
  created: number;
}

export interface PortalLinkView {
  id: number;
  flow: string;
  url: string;
  subscriptionId: string | null;
  simulated: boolean;
  createdBy: string;
  createdAt: number;
}

export interface Customer360 {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  description: string | null;
  currency: string | null;
  balance: number;
  delinquent: boolean;
  created: number;
  metadata: Record<string, string>;
  livemode: boolean;
  dashboardUrl: string;
  /** Unix ms of the last time this customer's rows were written from Stripe. */
  syncedAt: number;
  subscriptions: SubscriptionView[];
  invoices: InvoiceView[];
  paymentMethods: PaymentMethodView[];
  dunning: DunningSummary[];
  notes: NoteView[];
  timeline: TimelineEntry[];
  portalLinks: PortalLinkView[];
}

export interface CustomerRefreshResult {
  customer: Customer360;
  /** 'stripe': re-fetched now; 'local': the demo workspace has no Stripe account, the cache was re-read. */
  source: 'stripe' | 'local';
  /** One sentence for the agent, e.g. "Refreshed from Stripe." */
  message: string;
}

export interface CustomerListRow {
  id: string;
  name: string | null;
  email: string | null;
  delinquent: boolean;
  created: number;
}

export const customerCalls = {
  'customers.search': call<SearchHit[]>()(
    z.object({ query: shortText(200), limit: z.number().int().min(1).max(100).optional() }).strict(),
  ),
  'customers.list': call<{ rows: CustomerListRow[]; total: number }>()(
    z.object({ offset: z.number().int().min(0).max(10_000_000).default(0), limit: z.number().int().min(1).max(500).default(100) }).strict(),
  ),
  'customers.get': call<Customer360>()(z.object({ customerId }).strict()),
  /** Re-fetches this customer's objects from Stripe (on-demand refresh). */
  'customers.refresh': call<CustomerRefreshResult>()(z.object({ customerId }).strict()),
  'notes.add': call<NoteView>()(z.object({ customerId, body: noteBody }).strict()),
  'notes.update': call<NoteView>()(
    z.object({ noteId: z.number().int().positive(), body: noteBody }).strict(),
  ),
};
