import { generateText, Output, type LanguageModel } from 'ai';
import { z } from 'zod';
import {
  COPILOT_ACTION_TYPES,
  COPILOT_INTENTS,
  COPILOT_PORTAL_FLOWS,
  type CopilotAction,
  type CopilotAnalysis,
  type CopilotEntities,
  type CopilotLength,
  type CopilotTone,
} from '../../../shared/contract/copilot';
import { minorUnitExponent } from '../../../shared/domain/money';
import type { AppError } from '../../../shared/contract/errors';
import { checkModelAction, mergeRankedActions } from './actions/model-actions';
import { citationsIn } from './context/citations';
import { contextForModel } from './context/facts-prompt';
import { templateDraft } from './drafts/templates';
import { analyzeInstructions, userTurn } from './model/prompts';
import { guardText } from './safety/output-guard';
import { newNonce, wrapUntrusted } from './safety/untrusted';
import type { PreparedTurn } from './turn';

// `copilot.analyze`: understanding, actions and a draft in one answer. With a model, one structured
// call (the AI SDK's Output.object over a zod schema) classifies, ranks the rule-derived actions and
// drafts; its answer is checked against the data and passed through the output guard. Without a
// model, or when the model fails, the rules and templates answer and a notice says why.

/** What the model must return. All fields required and nullable: strict structured-output modes need that. */
export const modelUnderstandingSchema = z.object({
  intent: z.enum(COPILOT_INTENTS),
  entities: z.object({
    amount: z.number().nullable().describe('Amount in major units as written, e.g. 50 for "$50"'),
    currency: z.string().nullable().describe('ISO 4217 code, lower case'),
    date: z.string().nullable().describe('YYYY-MM-DD'),
    invoiceNumber: z.string().nullable(),
    plan: z.string().nullable(),
  }),
  actions: z
    .array(
      z.object({
        type: z.enum(COPILOT_ACTION_TYPES),
        invoiceId: z.string().nullable(),
        subscriptionId: z.string().nullable(),
        flow: z.enum(COPILOT_PORTAL_FLOWS).nullable(),
        reason: z.string(),
      }),
    )
    .max(6),
  draft: z.string(),
});
export type ModelUnderstanding = z.infer<typeof modelUnderstandingSchema>;

export const CONTEXT_TOKENS = 3000;
const OUTPUT_TOKENS: Record<CopilotLength, number> = { short: 500, medium: 800, long: 1200 };

export function normaliseModelEntities(e: ModelUnderstanding['entities'], fallbackCurrency: string | null): CopilotEntities {
  const currency = e.currency && /^[a-z]{3}$/i.test(e.currency.trim()) ? e.currency.trim().toLowerCase() : null;
  const amountCurrency = currency ?? fallbackCurrency ?? 'usd';
  const amount = e.amount != null && Number.isFinite(e.amount) && Math.abs(e.amount) < 1e12 ? Math.round(e.amount * 10 ** minorUnitExponent(amountCurrency)) : null;
  const date = e.date && /^\d{4}-\d{2}-\d{2}$/.test(e.date.trim()) && !Number.isNaN(Date.parse(e.date.trim())) ? e.date.trim() : null;
  return {
    amount,
    currency: amount != null ? (currency ?? fallbackCurrency ?? null) : currency,
    date,
    invoiceNumber: e.invoiceNumber?.trim().slice(0, 80) || null,
    plan: e.plan?.trim().slice(0, 80) || null,
  };
}

/** The model's entities pass the same guard as its draft: an invoice number not of this customer (nor in the message) is dropped. */
function guardEntities(e: CopilotEntities, turn: PreparedTurn): CopilotEntities {
  const number = e.invoiceNumber && turn.scope.allowedInvoiceNumbers.has(e.invoiceNumber.toUpperCase()) ? e.invoiceNumber : e.invoiceNumber && turn.facts.invoices.some((i) => i.id === e.invoiceNumber) ? e.invoiceNumber : null;
  const plan = e.plan ? guardText(e.plan, turn.scope) : null;
  return { ...e, invoiceNumber: number, plan: plan && !plan.includes('[') ? plan : null };
}

export function rulesAnalysis(turn: PreparedTurn, tone: CopilotTone, length: CopilotLength, notice: string | null): CopilotAnalysis {
  const text = guardText(templateDraft({ intent: turn.intent, entities: turn.entities, facts: turn.facts, actions: turn.actions, kb: turn.kb, tone, length }), turn.scope);
  return {
    intent: turn.intent,
    entities: turn.entities,
    actions: turn.actions,
    draft: { text, citations: citationsIn(text, turn.catalog) },
    mode: 'rules',
    model: null,
    notice,
  };
}

export interface ModelAnalysisDeps {
  model: LanguageModel;
  modelLabel: string;
  timeoutMs: number;
  abortSignal?: AbortSignal;
  recordProposal: (a: CopilotAction) => CopilotAction;
  redactor: PreparedTurn['scope']['redactor'];
  toAppError: (err: unknown) => AppError;
  onError?: (err: unknown) => void;
}

export async function modelAnalysis(turn: PreparedTurn, tone: CopilotTone, length: CopilotLength, deps: ModelAnalysisDeps): Promise<CopilotAnalysis> {
  const nonce = newNonce();
  const wrapped = wrapUntrusted(turn.message, deps.redactor, nonce);
  const context = contextForModel(turn.facts, turn.kb, CONTEXT_TOKENS);
  let output: ModelUnderstanding;
  try {
    const result = await generateText({
      model: deps.model,
      instructions: analyzeInstructions({ nonce, tone, length }),
      prompt: userTurn({
        facts: context.text,
        todayIso: new Date(turn.facts.nowSec * 1000).toISOString().slice(0, 10),
        ruleIntent: turn.intent,
        actions: turn.actions,
        wrappedMessage: wrapped.text,
        agentQuestion: null,
      }),
      output: Output.object({ schema: modelUnderstandingSchema, name: 'billing_message_analysis' }),
      maxOutputTokens: OUTPUT_TOKENS[length],
      temperature: 0.2,
      maxRetries: 1,
      timeout: deps.timeoutMs,
      abortSignal: deps.abortSignal,
    });
    output = result.output;
  } catch (err) {
    deps.onError?.(err);
    const appError = deps.toAppError(err);
    if (appError.code === 'cancelled') throw appError;
    return rulesAnalysis(turn, tone, length, `${appError.message} This answer comes from the rules and templates.`);
  }
  const modelActions: CopilotAction[] = [];
  for (const a of output.actions) {
    const checked = checkModelAction(turn.facts, a);
    if (checked.ok) modelActions.push(checked.action);
  }
  // Model-only write actions become proposals too (rule-derived ones already are).
  const merged = mergeRankedActions(turn.actions, modelActions).map((a) => (a.requiresConfirmation && !a.proposalId ? deps.recordProposal(a) : a));
  for (const a of merged) if (a.proposalId) turn.scope.knownIds.add(a.proposalId);
  const text = guardText(output.draft, turn.scope);
  return {
    intent: output.intent,
    entities: guardEntities(normaliseModelEntities(output.entities, turn.facts.customer.currency), turn),
    actions: merged,
    draft: { text, citations: citationsIn(text, turn.catalog) },
    mode: 'model',
    model: deps.modelLabel,
    notice: context.truncated ? 'Part of the customer history was left out to fit the model\'s budget.' : null,
  };
}
