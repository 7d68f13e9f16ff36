import path from 'node:path';
import type { UIMessageChunk } from 'ai';
import { createServices, type Services } from '../../electron/services';
import { createLogger } from '../../electron/services/core/log';
import { Redactor } from '../../electron/services/core/redact';
import { CopilotService, type CopilotServiceDeps } from '../../electron/services/copilot/service';
import { FIXTURE_NOW_MS, seedCopilotFixtures } from '../../electron/services/copilot/eval/fixtures';
import type { CopilotChunk } from '../../shared/contract/streams';
import { tempDir } from './services';

// Services over a temp cache holding the copilot fixture customers, at the fixtures' fixed "now".
// `copilot` is a CopilotService built with test dependencies (mock models, no word delay);
// `services.table` also serves the real handlers (registered with the default dependencies).

export interface CopilotFixture {
  services: Services;
  copilot: CopilotService;
  logLines: string[];
  /** Every chunk published on 'copilot.chunk', in order. */
  published: CopilotChunk[];
  /** Resolves with the UI message chunks of one stream once it is done. */
  collect(streamId: string): Promise<UIMessageChunk[]>;
  dispose(): Promise<void>;
}

export async function copilotFixture(opts: { env?: NodeJS.ProcessEnv; deps?: CopilotServiceDeps; stripeApiBase?: string } = {}): Promise<CopilotFixture> {
  const { dir, cleanup } = tempDir('bsc-copilot-');
  const logLines: string[] = [];
  const redactor = new Redactor();
  const services = await createServices(
    { dbPath: path.join(dir, 'cache.db'), env: opts.env ?? {}, skipDemoSeed: true, now: () => FIXTURE_NOW_MS, stripeApiBase: opts.stripeApiBase },
    { redactor, logger: createLogger(redactor, (l) => logLines.push(l), 'debug') },
  );
  seedCopilotFixtures(services.ctx.db, services.ctx.workspace.current().id);
  const copilot = new CopilotService(services.ctx, { templateWordDelayMs: 0, ...opts.deps });
  const { published, collect, unsubscribe } = copilotChunks(services.ctx.hub);
  return {
    services,
    copilot,
    logLines,
    published,
    collect,
    async dispose() {
      unsubscribe();
      copilot.close();
      await services.close();
      cleanup();
    },
  };
}

/** Every chunk the services publish on 'copilot.chunk' (any services: a solo fixture, a team desk), and one stream's once it is done. */
export function copilotChunks(hub: Services['ctx']['hub']): { published: CopilotChunk[]; collect(streamId: string): Promise<UIMessageChunk[]>; unsubscribe(): void } {
  const published: CopilotChunk[] = [];
  const waiters = new Map<string, () => void>();
  const unsubscribe = hub.subscribe((channel, payload) => {
    if (channel !== 'copilot.chunk') return;
    const chunk = payload as CopilotChunk;
    published.push(chunk);
    if (chunk.done) waiters.get(chunk.streamId)?.();
  });
  return {
    published,
    collect(streamId) {
      const done = () => published.filter((c) => c.streamId === streamId && !c.done).map((c) => c.chunk as UIMessageChunk);
      if (published.some((c) => c.streamId === streamId && c.done)) return Promise.resolve(done());
      return new Promise((resolve) => waiters.set(streamId, () => resolve(done())));
    },
    unsubscribe,
  };
}

/** The draft text of a chunk list (all text deltas joined). */
export function textOf(chunks: UIMessageChunk[]): string {
  return chunks.map((c) => (c.type === 'text-delta' ? c.delta : '')).join('');
}

export function dataOf<T = unknown>(chunks: UIMessageChunk[], type: string): T[] {
  return chunks.filter((c) => c.type === type).map((c) => (c as { data: T }).data);
}
