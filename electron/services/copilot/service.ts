import fs from 'node:fs';
import path from 'node:path';
import { generateText } from 'ai';
import type { CopilotAction, CopilotAnalysis, CopilotLength, CopilotSettingsView, CopilotTone, KbHit } from '../../../shared/contract/copilot';
import { AppError } from '../../../shared/contract/errors';
import type { ServiceContext } from '../core/context';
import { agentName } from '../workspace/agent-name';
import { confirmProposal, dismissProposal, type ConfirmDeps } from './actions/confirm';
import { pruneProposals, recordProposal } from './actions/proposals';
import { modelAnalysis, rulesAnalysis } from './analyze';
import { StreamRegistry } from './chat/registry';
import { modelReplyStream, templateReplyStream, type ChatTurn } from './chat/reply-stream';
import { loadCustomerFacts } from './context/customer-facts';
import { embedMissingChunks, embedQuery } from './kb/embed';
import { searchKb } from './kb/search';
import { getKbArticle, importKbFolder, kbIsEmpty, kbSlugs, kbStatus } from './kb/store';
import { readCopilotConfig, savedSettings, settingsView, type CopilotConfig } from './model/config';
import { learnTeamModel, teamCopilotConfig, type TeamModelState } from './model/team-model';
import { toModelAppError } from './model/errors';
import { createCopilotModels, type CopilotModelFactory, type CopilotModels } from './model/provider';
import { prepareTurn, type PreparedTurn } from './turn';
import { otherCustomerNameCheck } from './safety/other-customers';
import { customerOwnLinks } from './safety/own-links';

// The copilot as one object over the service context: answers (streamed or not), confirmations,
// the knowledge base. Models are built from the current settings on each request (settings can
// change between requests), and the embedding pass runs in the background after an import.

export interface CopilotServiceDeps extends ConfirmDeps {
  /** Builds the models for a configuration (tests inject the AI SDK's mock models). */
  modelFactory?: CopilotModelFactory;
  /** Pause between words of a template draft; 0 makes tests instant. */
  templateWordDelayMs?: number;
  /** Where the sample knowledge base is (resources/kb); found automatically when unset. */
  sampleKbDir?: string | null;
}

/** The sample knowledge base shipped with the app: resources/kb in the repo, `kb` in a packaged app's resources. */
export function findSampleKbDir(): string | null {
  const candidates = [
    process.env.BSC_KB_DIR,
    (process as { resourcesPath?: string }).resourcesPath ? path.join((process as { resourcesPath?: string }).resourcesPath!, 'kb') : undefined,
    path.resolve(process.cwd(), 'resources/kb'),
    typeof import.meta?.dirname === 'string' ? path.resolve(import.meta.dirname, '../../../resources/kb') : undefined,
  ];
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'refunds.md'))) return c;
  return null;
}

export class CopilotService {
  readonly streams: StreamRegistry;
  private embedding: Promise<number> | null = null;
  /** A team desk: what the team server last said about the team's model. */
  private teamModel: TeamModelState = { model: null, problem: null };

  constructor(
    readonly ctx: ServiceContext,
    private readonly deps: CopilotServiceDeps = {},
  ) {
    this.streams = new StreamRegistry(ctx.hub, ctx.now);
  }

  /** The configuration as last known (no network): a team desk's is the team's model as last learned. */
  config(): CopilotConfig {
    const team = this.ctx.registries.teamDesk;
    const c = team ? teamCopilotConfig(team.client, this.teamModel, savedSettings(this.ctx).timeoutSeconds) : readCopilotConfig(this.ctx);
    this.ctx.redactor.remember(c.apiKey);
    return c;
  }

  /** The configuration for a model call now: on a team desk the team server is asked for its model first. */
  async currentConfig(): Promise<CopilotConfig> {
    const team = this.ctx.registries.teamDesk;
    if (team) this.teamModel = await learnTeamModel(team.client);
    return this.config();
  }

  /** Settings › Copilot: on a team desk, the team's model (set by an admin) instead of a form and a key. */
  async settingsView(): Promise<CopilotSettingsView> {
    const team = this.ctx.registries.teamDesk;
    if (!team) return settingsView(this.ctx);
    const c = await this.currentConfig();
    return {
      provider: c.provider,
      baseUrl: null,
      model: c.model,
      api: c.api,
      embeddingModel: null,
      timeoutSeconds: c.timeoutSeconds,
      keySet: false,
      keyHint: null,
      keyPersistent: this.ctx.secrets.persistent,
      configured: c.configured,
      envOverrides: [],
      keyOrigin: null,
      problem: c.problem,
      team: { server: team.client.url, model: this.teamModel.model },
    };
  }

  models(config: CopilotConfig): CopilotModels {
    return (this.deps.modelFactory ?? ((c) => createCopilotModels(c)))(config);
  }

  /** Start-up: the sample knowledge base when the cache has none; old undecided proposals dropped. */
  initialise(): void {
    pruneProposals(this.ctx.db, this.ctx.now());
    if (!kbIsEmpty(this.ctx.db)) return;
    const dir = this.deps.sampleKbDir === undefined ? findSampleKbDir() : this.deps.sampleKbDir;
    if (!dir) {
      this.ctx.log.warn('the sample knowledge base (resources/kb) was not found; the copilot drafts without articles');
      return;
    }
    try {
      const r = importKbFolder(this.ctx.db, this.ctx.registries.vectors, dir, this.ctx.now());
      this.ctx.log.info('sample knowledge base imported', { documents: r.documents, chunks: r.chunks });
    } catch (err) {
      this.ctx.log.warn('the sample knowledge base could not be imported', { error: err });
    }
  }

  // ---------- knowledge base ----------

  async searchKb(query: string, limit: number, config = this.config()): Promise<KbHit[]> {
    const models = config.configured && config.embeddingModel ? this.models(config) : null;
    const embedder = models?.embedding;
    return searchKb(this.ctx.db, query, {
      limit,
      embeddingModel: embedder ? config.embeddingModel : null,
      vectors: this.ctx.registries.vectors,
      embedQuery: embedder
        ? async (text) => {
            try {
              return await embedQuery(embedder, text, AbortSignal.timeout(10_000));
            } catch (err) {
              this.ctx.log.warn('query embedding failed; keyword search only', { error: toModelAppError(err, config).message });
              return null;
            }
          }
        : undefined,
    });
  }

  importKb(folder: string) {
    const result = importKbFolder(this.ctx.db, this.ctx.registries.vectors, folder, this.ctx.now());
    this.ctx.hub.emit('data.changed', { accountId: this.ctx.workspace.current().id, kinds: ['kb'] });
    return result;
  }

  /** Embeds chunks that have no vector yet; one pass at a time. Returns how many were embedded. */
  embedKb(): Promise<number> {
    const config = this.config();
    if (!config.configured || !config.embeddingModel) return Promise.resolve(0);
    const model = this.models(config).embedding;
    if (!model) return Promise.resolve(0);
    if (this.embedding) return this.embedding;
    this.embedding = embedMissingChunks(this.ctx.registries.vectors, model, config.embeddingModel, { now: this.ctx.now, abortSignal: AbortSignal.timeout(config.timeoutSeconds * 1000 * 4) })
      .catch((err) => {
        const mapped = toModelAppError(err, config);
        this.ctx.log.warn('knowledge-base embeddings failed; keyword search still works', { error: mapped.message });
        return 0;
      })
      .finally(() => {
        this.embedding = null;
      });
    return this.embedding;
  }

  kbStatus() {
    const config = this.config();
    return kbStatus(this.ctx.db, Boolean(config.configured && config.embeddingModel && this.ctx.registries.vectors.ensure().ok));
  }

  kbArticle(ref: string) {
    return getKbArticle(this.ctx.db, ref);
  }

  // ---------- answers ----------

  private async prepare(customerId: string, message: string): Promise<PreparedTurn> {
    const account = this.ctx.workspace.current();
    const facts = loadCustomerFacts(this.ctx.db, account.id, customerId, this.ctx.now());
    return prepareTurn(facts, message, {
      redactor: this.ctx.redactor,
      nowMs: this.ctx.now(),
      searchKb: (q, limit) => this.searchKb(q, limit),
      kbArticles: () => kbSlugs(this.ctx.db),
      recordProposal: (a: CopilotAction) => recordProposal(this.ctx.db, account.id, customerId, a, this.ctx.now()),
      isOtherCustomerName: otherCustomerNameCheck(this.ctx.db, account.id, customerId),
      ownLinks: () => customerOwnLinks(this.ctx.db, account.id, customerId),
    });
  }

  async analyze(input: { customerId: string; message: string; tone: CopilotTone; length: CopilotLength; rulesOnly?: boolean }): Promise<CopilotAnalysis> {
    const config = input.rulesOnly ? this.config() : await this.currentConfig();
    const turn = await this.prepare(input.customerId, input.message);
    if (!config.configured || input.rulesOnly) return rulesAnalysis(turn, input.tone, input.length, null);
    const account = this.ctx.workspace.current();
    const models = this.models(config);
    return modelAnalysis(turn, input.tone, input.length, {
      model: models.language,
      modelLabel: models.label,
      timeoutMs: config.timeoutSeconds * 1000,
      redactor: this.ctx.redactor,
      recordProposal: (a) => recordProposal(this.ctx.db, account.id, input.customerId, a, this.ctx.now()),
      toAppError: (err) => toModelAppError(err, config),
      onError: (err) => this.ctx.log.warn('copilot model call failed', { error: toModelAppError(err, config).message }),
    });
  }

  /** Starts a streamed reply to the last user turn; chunks go out on 'copilot.chunk'. */
  async startChat(input: { customerId: string; messages: ChatTurn[]; tone: CopilotTone; length: CopilotLength }): Promise<{ streamId: string }> {
    const last = input.messages[input.messages.length - 1];
    if (!last || last.role !== 'user' || !last.text.trim()) throw new AppError('bad_input', 'The last message must be the customer message or your question.');
    const config = await this.currentConfig();
    const account = this.ctx.workspace.current();
    const turn = await this.prepare(input.customerId, last.text);
    const { streamId, signal } = this.streams.open();
    let stream: ReadableStream;
    if (config.configured) {
      const models = this.models(config);
      stream = modelReplyStream(turn, {
        model: models.language,
        modelLabel: models.label,
        tone: input.tone,
        length: input.length,
        agentName: agentName(this.ctx),
        timeoutMs: config.timeoutSeconds * 1000,
        abortSignal: signal,
        history: input.messages.slice(0, -1),
        toolDeps: {
          searchKb: (q, limit) => this.searchKb(q, limit, config),
          recordProposal: (a) => recordProposal(this.ctx.db, account.id, input.customerId, a, this.ctx.now()),
        },
        toAppError: (err) => toModelAppError(err, config),
        onError: (err) => this.ctx.log.warn('copilot stream failed', { error: toModelAppError(err, config).message }),
      });
    } else {
      stream = templateReplyStream(turn, {
        tone: input.tone,
        length: input.length,
        abortSignal: signal,
        wordDelayMs: this.deps.templateWordDelayMs ?? 12,
        notice: {
          kind: 'no_model',
          text: config.problem
            ? `The model is not used: ${config.problem} The draft comes from templates filled with this customer's data.`
            : 'No model is configured: the draft comes from templates filled with this customer\'s data. Add a model in Settings › Copilot.',
        },
      });
    }
    void this.streams.pump(streamId, stream, (err) => toModelAppError(err, config).message);
    return { streamId };
  }

  async testModel(): Promise<{ ok: true; model: string; latencyMs: number }> {
    const config = await this.currentConfig();
    if (config.problem) throw new AppError('not_configured', config.problem);
    if (!config.configured) throw new AppError('not_configured', 'No model is configured. Choose a provider and model (and a key for OpenAI) first.');
    const models = this.models(config);
    const started = Date.now();
    try {
      await generateText({ model: models.language, prompt: 'Reply with the single word: ok', maxOutputTokens: 16, maxRetries: 0, timeout: Math.min(config.timeoutSeconds, 30) * 1000 });
    } catch (err) {
      throw toModelAppError(err, config);
    }
    return { ok: true, model: models.label, latencyMs: Date.now() - started };
  }

  confirm(customerId: string, proposalId: string, actor: string) {
    return confirmProposal(this.ctx, customerId, proposalId, actor, this.deps);
  }

  dismiss(customerId: string, proposalId: string, actor: string) {
    return dismissProposal(this.ctx, customerId, proposalId, actor);
  }

  close(): void {
    this.streams.closeAll();
  }
}
