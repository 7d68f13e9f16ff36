import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { createServices } from '../../electron/services';
import { createLogger } from '../../electron/services/core/log';
import { Redactor } from '../../electron/services/core/redact';
import { seedCopilotFixtures, SCENARIO_CUSTOMERS } from '../../electron/services/copilot/eval/fixtures';
import { startOpenAIServer, type OpenAIServer } from '../openai-server';
import { tempDir } from '../helpers/services';

// `copilot <customer> --message "…" --json` as a script uses it: the rules without a model, the model
// through OPENAI_BASE_URL, and exit code 2 for bad usage or an unknown customer.

let dir: { dir: string; cleanup: () => void };
let db: string;
let server: OpenAIServer;

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--db', db], { out: (t) => out.push(t), err: (t) => err.push(t), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  dir = tempDir();
  db = path.join(dir.dir, 'cli.db');
  const services = await createServices({ dbPath: db, env: {}, skipDemoSeed: true }, { logger: createLogger(new Redactor(), () => undefined, 'error') });
  seedCopilotFixtures(services.ctx.db, 'demo');
  await services.close();
  server = await startOpenAIServer((req) =>
    req.structured
      ? { json: { intent: 'payment_failed', entities: { amount: null, currency: null, date: null, invoiceNumber: 'TUR-0042', plan: null }, actions: [], draft: 'Dear Alan, the payment [in_EvalD0042] was declined.' } }
      : { text: 'ok' },
  );
});

afterAll(async () => {
  await server.close();
  dir.cleanup();
});

describe('copilot CLI', () => {
  it('prints {intent, entities, actions, draft} from the rules when no model is set', async () => {
    const r = await run(['copilot', SCENARIO_CUSTOMERS.hard_decline, '--message', 'My payment for TUR-0042 failed, what now?', '--json']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out);
    expect(v).toMatchObject({ intent: 'payment_failed', mode: 'rules', entities: { invoice_number: 'TUR-0042', amount: null } });
    expect(v.actions[0]).toMatchObject({ type: 'send_portal_link', args: { flow: 'payment_method_update', invoice_id: 'in_EvalD0042' }, requires_confirmation: true });
    expect(v.draft).toContain('[in_EvalD0042]');
    expect(Object.keys(v)).toEqual(expect.arrayContaining(['intent', 'entities', 'actions', 'draft']));
  });

  it('uses the model from the environment', async () => {
    const r = await run(['copilot', SCENARIO_CUSTOMERS.hard_decline, '-m', 'why did it fail', '--json', '--tone', 'formal'], { OPENAI_BASE_URL: server.baseUrl, COPILOT_MODEL: 'loopback-model' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ mode: 'model', model: expect.stringContaining('loopback-model'), draft: 'Dear Alan, the payment [in_EvalD0042] was declined.' });
    expect(server.requests.some((q) => q.api === 'chat')).toBe(true);
  });

  it('prints words without --json and exits 2 on bad usage or an unknown customer', async () => {
    const text = await run(['copilot', SCENARIO_CUSTOMERS.expired_card, '--message', 'I want to cancel']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/intent {4}cancel_subscription/);
    expect(text.out).toContain('[needs confirmation in the app]');
    expect((await run(['copilot', SCENARIO_CUSTOMERS.healthy])).code).toBe(2);
    expect((await run(['copilot', SCENARIO_CUSTOMERS.healthy, '--message', 'hi', '--tone', 'rude'])).err).toMatch(/--tone must be one of/);
    const unknown = await run(['copilot', 'cus_Nobody123', '--message', 'hi']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/No customer cus_Nobody123/);
  });
});
