import { tool } from 'ai';
import { z } from 'zod';
import { COPILOT_ACTION_TYPES, COPILOT_PORTAL_FLOWS, type CopilotAction, type KbHit } from '../../../../shared/contract/copilot';
import { cardLabel, type CustomerFacts } from '../context/customer-facts';
import { attemptsFor, findInvoices } from '../actions/relevant';
import { checkModelAction } from '../actions/model-actions';
import { minorUnitExponent } from '../../../../shared/domain/money';

// The model's tools. Every one reads from THIS customer's facts (captured when the request starts):
// there is no customer parameter to change, and no tool writes anything. `proposeAction` records a
// proposal for a person to confirm and returns it for the chat to render as a card — nothing runs.

export interface ToolDeps {
  facts: CustomerFacts;
  searchKb: (query: string, limit: number) => Promise<KbHit[]>;
  /** Records a checked proposal (status 'proposed') and returns it with its id. */
  recordProposal: (action: CopilotAction) => CopilotAction;
}

export function invoiceSummary(i: CustomerFacts['invoices'][number]) {
  return {
    id: i.id,
    number: i.number,
    status: i.status,
    currency: i.currency,
    total: i.total,
    amountPaid: i.amountPaid,
    amountRemaining: i.amountRemaining,
    created: i.created,
    paidAt: i.paidAt,
    dueDate: i.dueDate,
    nextPaymentAttempt: i.nextPaymentAttempt,
    attemptCount: i.attemptCount,
    subscriptionId: i.subscriptionId,
    periodStart: i.periodStart,
    periodEnd: i.periodEnd,
    lines: i.lines.slice(0, 10),
  };
}

export function copilotTools(deps: ToolDeps) {
  const { facts } = deps;
  return {
    findInvoices: tool({
      description:
        "Find this customer's invoices by number, amount (major units, e.g. 49.99), date (YYYY-MM-DD, ±3 days) or status. Amounts in the result are integer minor units (cents) of `currency`; dates are unix seconds.",
      inputSchema: z.object({
        number: z.string().max(80).nullable().optional().describe('Invoice number as written, e.g. ACME-0042, or an invoice id in_…'),
        amount: z.number().nonnegative().nullable().optional().describe('Amount in major units as the customer wrote it'),
        currency: z.string().length(3).nullable().optional(),
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().optional(),
        status: z.enum(['draft', 'open', 'paid', 'void', 'uncollectible']).nullable().optional(),
      }),
      execute: async ({ number, amount, currency, date, status }) => {
        const cur = currency?.toLowerCase() ?? facts.customer.currency ?? null;
        const minor = amount != null ? Math.round(amount * 10 ** minorUnitExponent(cur ?? 'usd')) : null;
        const list = findInvoices(facts, { number: number ?? null, amount: minor, currency: amount != null ? cur : null, date: date ?? null, status: status ?? null });
        return { invoices: list.slice(0, 10).map(invoiceSummary), total: list.length };
      },
    }),
    getSubscriptions: tool({
      description: "This customer's subscriptions: plan, status, amount per interval (minor units), period end, cancellation and pause state.",
      inputSchema: z.object({}),
      execute: async () => ({ subscriptions: facts.subscriptions }),
    }),
    getPaymentAttempts: tool({
      description: "This customer's payment attempts (newest first), each with the decline explained in words and the card as brand and last four digits. Optionally for one invoice.",
      inputSchema: z.object({ invoiceId: z.string().max(80).nullable().optional() }),
      execute: async ({ invoiceId }) => {
        const list = invoiceId ? attemptsFor(facts, invoiceId) : facts.attempts;
        return {
          attempts: list.slice(0, 15).map((a) => ({
            id: a.id,
            invoiceId: a.invoiceId,
            status: a.status,
            amount: a.amount,
            currency: a.currency,
            created: a.created,
            declineCode: a.declineCode,
            category: a.category,
            explanation: a.explanation,
            advice: a.advice,
            card: cardLabel(a.cardBrand, a.cardLast4),
          })),
        };
      },
    }),
    searchKnowledgeBase: tool({
      description: 'Search the billing knowledge base (refunds, retries, cancellation, invoices, taxes, payment methods). Cite results as [kb:slug].',
      inputSchema: z.object({ query: z.string().min(1).max(300) }),
      execute: async ({ query }) => ({ results: await deps.searchKb(query, 4) }),
    }),
    proposeAction: tool({
      description:
        'Propose an action for the support agent to review. Nothing is executed: the agent sees a card and decides. Use the ids from the facts. flow is only for send_portal_link.',
      inputSchema: z.object({
        type: z.enum(COPILOT_ACTION_TYPES),
        invoiceId: z.string().max(80).nullable().optional(),
        subscriptionId: z.string().max(80).nullable().optional(),
        flow: z.enum(COPILOT_PORTAL_FLOWS).nullable().optional(),
        reason: z.string().min(1).max(500),
      }),
      execute: async (input) => {
        const checked = checkModelAction(facts, {
          type: input.type,
          invoiceId: input.invoiceId ?? null,
          subscriptionId: input.subscriptionId ?? null,
          flow: input.flow ?? null,
          reason: input.reason,
        });
        if (!checked.ok) return { proposed: false as const, problem: checked.problem };
        const action = checked.action.requiresConfirmation ? deps.recordProposal(checked.action) : checked.action;
        return { proposed: true as const, action };
      },
    }),
  };
}

export type CopilotTools = ReturnType<typeof copilotTools>;
