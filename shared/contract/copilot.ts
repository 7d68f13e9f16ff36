import { z } from 'zod';
import { call } from './define';
import { customerId, shortText } from './ids';
import { modelBaseUrlProblem } from '../domain/model-base-url';
import type { CopilotChunk } from './streams';

// The copilot: typed understanding of a customer's message, actions proposed from the customer's
// state (a person confirms every write), drafts grounded in this customer's data and the knowledge
// base, streamed as AI SDK UI message chunks on the 'copilot.chunk' channel.

export const COPILOT_INTENTS = [
  'invoice_explanation',
  'payment_failed',
  'update_payment_method',
  'cancel_subscription',
  'change_plan',
  'refund_request',
  'pause_subscription',
  'billing_details_update',
  'other',
] as const;
export type CopilotIntent = (typeof COPILOT_INTENTS)[number];

export const COPILOT_ACTION_TYPES = [
  'explain_invoice',
  'send_portal_link',
  'retry_payment',
  'cancel_subscription',
  'pause_subscription',
  'escalate_refund',
  'none',
] as const;
export type CopilotActionType = (typeof COPILOT_ACTION_TYPES)[number];

/** Action types that change something (in Stripe or in the console): they only run after a person confirms. */
export const COPILOT_WRITE_ACTIONS: readonly CopilotActionType[] = ['send_portal_link', 'retry_payment', 'cancel_subscription', 'pause_subscription', 'escalate_refund'];

/** Stripe Customer Portal deep-link flows a proposed link can open. */
export const COPILOT_PORTAL_FLOWS = ['home', 'payment_method_update', 'subscription_cancel', 'subscription_update', 'subscription_pause', 'customer_update'] as const;
export type CopilotPortalFlow = (typeof COPILOT_PORTAL_FLOWS)[number];

export const COPILOT_TONES = ['friendly', 'neutral', 'formal'] as const;
export type CopilotTone = (typeof COPILOT_TONES)[number];
export const COPILOT_LENGTHS = ['short', 'medium', 'long'] as const;
export type CopilotLength = (typeof COPILOT_LENGTHS)[number];

/** What the message is about. Amounts are integer minor units of `currency`; dates are YYYY-MM-DD. */
export const copilotEntitiesSchema = z.object({
  amount: z.number().int().nullable(),
  currency: z.string().regex(/^[a-z]{3}$/).nullable(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  invoiceNumber: z.string().max(80).nullable(),
  plan: z.string().max(80).nullable(),
});
export type CopilotEntities = z.infer<typeof copilotEntitiesSchema>;

export const copilotActionArgsSchema = z.object({
  invoiceId: z.string().max(80).nullable(),
  subscriptionId: z.string().max(80).nullable(),
  flow: z.enum(COPILOT_PORTAL_FLOWS).nullable(),
  /** Unix seconds of a scheduled automatic retry, when the action explains one. */
  retryAt: z.number().int().nullable(),
});
export type CopilotActionArgs = z.infer<typeof copilotActionArgsSchema>;

/** Object ids or KB articles a fact came from: `in_…`, `sub_…`, `py_…`, `pm_…`, `cus_…`, `kb:refunds`. */
export type CopilotRef = string;

export interface CopilotCitation {
  ref: CopilotRef;
  kind: 'customer' | 'invoice' | 'subscription' | 'payment_attempt' | 'payment_method' | 'kb';
  /** Short words for the chip, e.g. "Invoice ABC-0012" or "Refunds". */
  label: string;
}

export interface CopilotAction {
  /** Set once the action is recorded as a proposal: confirming it goes through this id only. */
  proposalId: string | null;
  type: CopilotActionType;
  args: CopilotActionArgs;
  /** Why, in words an agent can check against the data. */
  reason: string;
  /** 'state': a deterministic rule over the cached data; 'model': suggested by the model and checked against the data. */
  source: 'state' | 'model';
  /** Writes never run without a person confirming. */
  requiresConfirmation: boolean;
  title: string;
  citations: CopilotRef[];
  status: CopilotProposalStatus;
}

export type CopilotProposalStatus = 'proposed' | 'confirmed' | 'dismissed' | 'failed' | 'info';

export interface CopilotDraft {
  text: string;
  citations: CopilotCitation[];
}

export interface CopilotAnalysis {
  intent: CopilotIntent;
  entities: CopilotEntities;
  actions: CopilotAction[];
  draft: CopilotDraft;
  /** 'rules' when no model is configured (or the model failed and the rules answered). */
  mode: 'model' | 'rules';
  model: string | null;
  /** A problem worth showing (e.g. the model failed and the rules answered instead). */
  notice: string | null;
}

/** Data parts of the copilot's UI messages (AI SDK `data-*` parts). */
export interface CopilotDataParts {
  understanding: { intent: CopilotIntent; entities: CopilotEntities; mode: 'model' | 'rules'; model: string | null };
  proposal: CopilotAction;
  citations: CopilotCitation[];
  notice: { kind: 'no_model' | 'truncated' | 'fallback'; text: string };
}

export type CopilotProvider = 'none' | 'openai' | 'compatible';
export type CopilotApi = 'chat' | 'responses';

export interface CopilotSettingsView {
  provider: CopilotProvider;
  /** Base URL of an OpenAI-compatible server (Ollama, LM Studio, vLLM); null = api.openai.com. */
  baseUrl: string | null;
  model: string;
  api: CopilotApi;
  /** Embedding model for the knowledge base; null = keyword search only. */
  embeddingModel: string | null;
  timeoutSeconds: number;
  /** Whether a key is stored; the key itself never leaves the main side. */
  keySet: boolean;
  /** Last four characters of the stored key. */
  keyHint: string | null;
  /** False when keys only live for this session (CLI, web harness). */
  keyPersistent: boolean;
  /** True when drafts come from a model; false = rules and templates. */
  configured: boolean;
  /** Environment variables overriding the saved settings (CLI, harness). */
  envOverrides: string[];
  /** The origin (scheme://host:port) the stored key was saved for; it is only ever sent there. */
  keyOrigin: string | null;
  /** Why no model is used although one is set up (the key was saved for another server, a refused base URL), in words. */
  problem: string | null;
  /**
   * A desk on a team: the copilot uses the team's model through the team server (set by an admin
   * there; this desk holds no model key and has nothing to choose). Null on a solo desk.
   */
  team: { server: string; model: string | null } | null;
}

export interface CopilotConfirmResult {
  proposalId: string;
  type: CopilotActionType;
  status: 'confirmed' | 'failed';
  /** What happened, in words. */
  message: string;
  /** True when this proposal had already been confirmed: nothing ran twice. */
  alreadyDone: boolean;
  portalLink: { url: string; flow: CopilotPortalFlow; simulated: boolean } | null;
  auditId: number | null;
}

export interface KbHit {
  ref: CopilotRef;
  title: string;
  heading: string | null;
  snippet: string;
  score: number;
  via: Array<'keyword' | 'vector'>;
}

export interface KbStatus {
  documents: number;
  chunks: number;
  embedded: number;
  vectorSearch: boolean;
}

export interface KbArticle {
  ref: CopilotRef;
  title: string;
  body: string;
}

/** A recorded proposal's id (the team server checks the ids desks bring it with the same rule). */
export const copilotProposalId = z.string().regex(/^prop_[A-Za-z0-9]{6,40}$/, 'A proposal id looks like prop_…');
const proposalId = copilotProposalId;
const streamId = z.string().regex(/^cs_[A-Za-z0-9]{6,40}$/, 'A stream id looks like cs_…');
const chatTurn = z.object({ role: z.enum(['user', 'assistant']), text: z.string().max(20_000) }).strict();
/** The model server's base URL: https, or http to this computer only; no credentials, no query (model-base-url.ts). */
const modelBaseUrl = z
  .string()
  .max(500)
  .superRefine((u, check) => {
    const problem = modelBaseUrlProblem(u);
    if (problem) check.addIssue({ code: 'custom', message: problem });
  });

export const copilotCalls = {
  /** Starts a streamed reply; chunks arrive on 'copilot.chunk' with this streamId. */
  'copilot.chat': call<{ streamId: string }>()(
    z
      .object({
        customerId,
        messages: z.array(chatTurn).min(1).max(30),
        tone: z.enum(COPILOT_TONES).default('friendly'),
        length: z.enum(COPILOT_LENGTHS).default('medium'),
      })
      .strict(),
  ),
  /** Stops a stream and its provider request. */
  'copilot.cancel': call<{ cancelled: boolean }>()(z.object({ streamId }).strict()),
  /** Chunks of a stream from `fromSeq` on (what a late subscriber missed), and whether it ended. */
  'copilot.resume': call<{ chunks: CopilotChunk[]; done: boolean }>()(z.object({ streamId, fromSeq: z.number().int().min(0) }).strict()),
  /** Understanding, proposed actions and a draft in one answer (no streaming). */
  'copilot.analyze': call<CopilotAnalysis>()(
    z
      .object({
        customerId,
        message: z.string().trim().min(1).max(20_000),
        tone: z.enum(COPILOT_TONES).default('friendly'),
        length: z.enum(COPILOT_LENGTHS).default('medium'),
        /** Answer from the rules and templates even when a model is configured (e.g. after a model error). */
        rulesOnly: z.boolean().default(false),
      })
      .strict(),
  ),
  /** A person confirms a proposed action: it runs through the same services as the buttons. */
  'copilot.confirmAction': call<CopilotConfirmResult>()(z.object({ customerId, proposalId }).strict()),
  'copilot.dismissAction': call<{ proposalId: string; status: CopilotProposalStatus }>()(z.object({ customerId, proposalId }).strict()),
  'copilot.settings.get': call<CopilotSettingsView>()(z.object({}).strict()),
  'copilot.settings.set': call<CopilotSettingsView>()(
    z
      .object({
        provider: z.enum(['none', 'openai', 'compatible']),
        baseUrl: modelBaseUrl.nullable().default(null),
        model: z.string().trim().min(1).max(200),
        api: z.enum(['chat', 'responses']).default('chat'),
        embeddingModel: z.string().trim().min(1).max(200).nullable().default(null),
        timeoutSeconds: z.number().int().min(5).max(600).default(60),
      })
      .strict(),
  ),
  /** Stores the model key (OS keychain in the app); never returned, only its last four characters. */
  'copilot.settings.setKey': call<CopilotSettingsView>()(z.object({ key: z.string().trim().min(1).max(500) }).strict()),
  'copilot.settings.clearKey': call<CopilotSettingsView>()(z.object({}).strict()),
  /** One short request to the configured model: proves the URL, key and model name work. */
  'copilot.settings.test': call<{ ok: true; model: string; latencyMs: number }>()(z.object({}).strict()),
  /** Imports a folder of Markdown articles (chunked by headings) into the knowledge base. */
  'kb.import': call<{ documents: number; chunks: number; unchanged: number; embedded: number; problems: string[] }>()(
    z.object({ folder: z.string().trim().min(1).max(1000) }).strict(),
  ),
  'kb.search': call<KbHit[]>()(z.object({ query: shortText(500), limit: z.number().int().min(1).max(20).default(5) }).strict()),
  'kb.status': call<KbStatus>()(z.object({}).strict()),
  'kb.get': call<KbArticle>()(z.object({ ref: z.string().regex(/^kb:[a-z0-9-]{1,80}$/, 'An article reference looks like kb:refunds') }).strict()),
};
