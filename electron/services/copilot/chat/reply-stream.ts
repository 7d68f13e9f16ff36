import { createUIMessageStream, stepCountIs, streamText, toUIMessageStream, type LanguageModel, type ModelMessage, type UIMessageChunk } from 'ai';
import type { CopilotAction, CopilotDataParts, CopilotLength, CopilotTone } from '../../../../shared/contract/copilot';
import type { AppError } from '../../../../shared/contract/errors';
import { estimateTokens } from '../context/budget';
import { contextForModel } from '../context/facts-prompt';
import { templateDraft } from '../drafts/templates';
import { chatInstructions, userTurn } from '../model/prompts';
import { copilotTools, type ToolDeps } from '../model/tools';
import { guardUIMessageStream } from '../safety/output-guard';
import { newNonce, sanitizeUntrusted, wrapUntrusted } from '../safety/untrusted';
import type { PreparedTurn } from '../turn';
import { CONTEXT_TOKENS } from '../analyze';

// One streamed copilot reply as AI SDK UI message chunks: the rules' understanding and proposed
// actions as data parts first (they are instant and do not depend on the model), then the draft —
// streamed by the model with read-only tools, or by the template, word by word — all through the
// output guard.

export interface ChatTurn {
  role: 'user' | 'assistant';
  text: string;
}

type Chunk = UIMessageChunk<unknown, { [K in keyof CopilotDataParts]: CopilotDataParts[K] }>;

const HISTORY_TOKENS = 2500;
const CHAT_OUTPUT_TOKENS: Record<CopilotLength, number> = { short: 500, medium: 900, long: 1400 };

function dataParts(turn: PreparedTurn, mode: 'model' | 'rules', model: string | null, notices: CopilotDataParts['notice'][]): Chunk[] {
  const parts: Chunk[] = [];
  for (const n of notices) parts.push({ type: 'data-notice', data: n, transient: false });
  parts.push({ type: 'data-understanding', id: 'understanding', data: { intent: turn.intent, entities: turn.entities, mode, model } });
  for (const a of turn.actions) parts.push({ type: 'data-proposal', id: a.proposalId ?? `${a.type}-${a.args.invoiceId ?? a.args.subscriptionId ?? 'x'}`, data: a });
  parts.push({ type: 'data-citations', id: 'citations', data: [...turn.catalog.values()] });
  return parts;
}

/** Earlier turns, newest kept first, within the history budget; user turns stay delimited data. */
export function historyMessages(history: ChatTurn[], nonce: string, redactor: PreparedTurn['scope']['redactor']): ModelMessage[] {
  const out: ModelMessage[] = [];
  let used = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const t = history[i]!;
    const text = t.role === 'user' ? `The agent sent (earlier):\n${wrapUntrusted(t.text, redactor, nonce, 3000).text}` : sanitizeUntrusted(t.text, redactor, 3000).text;
    const cost = estimateTokens(text);
    if (used + cost > HISTORY_TOKENS) break;
    used += cost;
    out.unshift({ role: t.role, content: text });
  }
  return out;
}

export interface ModelReplyDeps {
  model: LanguageModel;
  modelLabel: string;
  tone: CopilotTone;
  length: CopilotLength;
  agentName: string;
  timeoutMs: number;
  abortSignal: AbortSignal;
  history: ChatTurn[];
  toolDeps: Omit<ToolDeps, 'facts'>;
  toAppError: (err: unknown) => AppError;
  onError?: (err: unknown) => void;
}

export function modelReplyStream(turn: PreparedTurn, deps: ModelReplyDeps): ReadableStream<UIMessageChunk> {
  const nonce = newNonce();
  const context = contextForModel(turn.facts, turn.kb, CONTEXT_TOKENS);
  const wrapped = wrapUntrusted(turn.message, turn.scope.redactor, nonce);
  const notices: CopilotDataParts['notice'][] = [];
  if (context.truncated || wrapped.truncated) notices.push({ kind: 'truncated', text: 'Part of the history or the message was left out to fit the request budget.' });
  const words = (err: unknown) => {
    deps.onError?.(err);
    return deps.toAppError(err).message;
  };
  const recordAndTrack = (a: CopilotAction) => {
    const recorded = deps.toolDeps.recordProposal(a);
    if (recorded.proposalId) turn.scope.knownIds.add(recorded.proposalId);
    return recorded;
  };
  const stream = createUIMessageStream({
    execute: ({ writer }) => {
      writer.write({ type: 'start' });
      for (const p of dataParts(turn, 'model', deps.modelLabel, notices)) writer.write(p as UIMessageChunk);
      const result = streamText({
        model: deps.model,
        instructions: chatInstructions({ nonce, tone: deps.tone, length: deps.length, agentName: deps.agentName }),
        messages: [
          ...historyMessages(deps.history, nonce, turn.scope.redactor),
          {
            role: 'user',
            content: userTurn({
              facts: context.text,
              todayIso: new Date(turn.facts.nowSec * 1000).toISOString().slice(0, 10),
              ruleIntent: turn.intent,
              actions: turn.actions,
              wrappedMessage: wrapped.text,
              agentQuestion: null,
            }),
          },
        ],
        tools: copilotTools({ ...deps.toolDeps, recordProposal: recordAndTrack, facts: turn.facts }),
        stopWhen: stepCountIs(5),
        maxOutputTokens: CHAT_OUTPUT_TOKENS[deps.length],
        temperature: 0.3,
        maxRetries: 1,
        timeout: { totalMs: deps.timeoutMs },
        abortSignal: deps.abortSignal,
        // The error reaches the agent in words through the UI stream below (and the log through
        // deps.onError); the SDK's default would print it raw, unredacted, to the console.
        onError: () => undefined,
      });
      writer.merge(toUIMessageStream({ stream: result.stream, sendStart: false, sendReasoning: false, onError: words }));
    },
    onError: words,
  });
  return stream.pipeThrough(guardUIMessageStream(turn.scope));
}

export interface TemplateReplyDeps {
  tone: CopilotTone;
  length: CopilotLength;
  abortSignal: AbortSignal;
  /** Pause between words, so the draft reads as it streams (0 in tests). */
  wordDelayMs: number;
  notice: CopilotDataParts['notice'];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    // One listener per word: it goes when the pause ends, or a long draft piles them up on the signal.
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The no-model reply: the same chunk shapes as a model reply, from the rules and the template. */
export function templateReplyStream(turn: PreparedTurn, deps: TemplateReplyDeps): ReadableStream<UIMessageChunk> {
  const draft = templateDraft({ intent: turn.intent, entities: turn.entities, facts: turn.facts, actions: turn.actions, kb: turn.kb, tone: deps.tone, length: deps.length });
  const words = draft.split(/(?<=\s)/);
  let i = -1;
  const head = [{ type: 'start' } as Chunk, ...dataParts(turn, 'rules', null, [deps.notice]), { type: 'text-start', id: 'draft' } as Chunk];
  const stream = new ReadableStream<UIMessageChunk>({
    async pull(controller) {
      if (deps.abortSignal.aborted) {
        controller.enqueue({ type: 'abort', reason: 'Stopped by the agent.' });
        controller.close();
        return;
      }
      i++;
      if (i < head.length) {
        controller.enqueue(head[i] as UIMessageChunk);
        return;
      }
      const w = i - head.length;
      if (w < words.length) {
        await sleep(deps.wordDelayMs, deps.abortSignal);
        controller.enqueue({ type: 'text-delta', id: 'draft', delta: words[w]! });
        return;
      }
      controller.enqueue({ type: 'text-end', id: 'draft' });
      controller.enqueue({ type: 'finish', finishReason: 'stop' });
      controller.close();
    },
  });
  return stream.pipeThrough(guardUIMessageStream(turn.scope));
}
