import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices } from '../../index';
import { createLogger } from '../../core/log';
import { Redactor } from '../../core/redact';
import type { CopilotAnalysis } from '../../../../shared/contract/copilot';
import { EVAL_CASES } from './dataset';
import { FIXTURE_NOW_MS, SCENARIO_CUSTOMERS, seedCopilotFixtures } from './fixtures';
import { ENTITY_FIELDS, scoreCase, totals, type CaseScore } from './score';

// `npm run eval`: the labelled billing messages through `copilot.analyze` — against the model in
// OPENAI_API_KEY / OPENAI_BASE_URL / COPILOT_MODEL when set, else the no-model path (rules and
// templates) — and accuracy per field. `--rules` forces the no-model path; `--json` prints one JSON
// value; `--verbose` lists every miss. Exits 1 when the no-model intent accuracy is below 80%.

const REQUIRED_RULES_INTENT_ACCURACY = 0.8;

async function main(): Promise<number> {
  const args = new Set(process.argv.slice(2));
  const json = args.has('--json');
  const forceRules = args.has('--rules');
  const env = forceRules ? {} : process.env;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bsc-eval-'));
  const redactor = new Redactor();
  const services = await createServices(
    { dbPath: path.join(dir, 'eval.db'), env, skipDemoSeed: true, now: () => FIXTURE_NOW_MS },
    { redactor, logger: createLogger(redactor, (l) => process.stderr.write(l + '\n'), 'error') },
  );
  try {
    seedCopilotFixtures(services.ctx.db, services.ctx.workspace.current().id);
    const settings = await services.table.dispatch('copilot.settings.get', {}, { actor: 'eval' });
    const configured = settings.ok && (settings.value as { configured: boolean }).configured;
    const mode = configured ? 'model' : 'rules';
    const scores: CaseScore[] = [];
    let fellBack = 0;
    const started = Date.now();
    for (const c of EVAL_CASES) {
      const r = await services.table.dispatch('copilot.analyze', { customerId: SCENARIO_CUSTOMERS[c.scenario], message: c.message, tone: 'neutral', length: 'short' }, { actor: 'eval' });
      if (!r.ok) throw new Error(`${c.id}: ${r.error.code}: ${r.error.message}`);
      const a = r.value as CopilotAnalysis;
      if (configured && a.mode === 'rules') fellBack++;
      scores.push(scoreCase(c, a));
    }
    const t = totals(EVAL_CASES, scores);
    const heldOutIdx = EVAL_CASES.map((c, i) => (c.heldOut ? i : -1)).filter((i) => i >= 0);
    const tunedIdx = EVAL_CASES.map((c, i) => (c.heldOut ? -1 : i)).filter((i) => i >= 0);
    const heldOut = totals(heldOutIdx.map((i) => EVAL_CASES[i]!), heldOutIdx.map((i) => scores[i]!));
    const tuned = totals(tunedIdx.map((i) => EVAL_CASES[i]!), tunedIdx.map((i) => scores[i]!));
    const model = configured ? `${(settings as { value: { model: string } }).value.model}` : null;
    const pass = mode !== 'rules' || t.intent >= REQUIRED_RULES_INTENT_ACCURACY;
    if (json) {
      process.stdout.write(JSON.stringify({ mode, model, ...t, heldOut: { cases: heldOut.cases, intent: heldOut.intent, entitiesAll: heldOut.entitiesAll, actionsRecall: heldOut.actionsRecall, topAction: heldOut.topAction }, tuned: { cases: tuned.cases, intent: tuned.intent }, fellBackToRules: fellBack, ms: Date.now() - started, pass, misses: scores.filter((s) => !s.intent || !s.actionsRecall || ENTITY_FIELDS.some((f) => !s.entities[f])) }) + '\n');
    } else {
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
      const out = (l: string) => process.stdout.write(l + '\n');
      out(`copilot eval: ${t.cases} labelled messages (${heldOut.cases} held out), ${mode === 'rules' ? 'no-model path (rules + templates)' : `model ${model}`}${fellBack ? ` (${fellBack} answers fell back to rules after a model error)` : ''}, ${Date.now() - started} ms`);
      out('');
      out(`  intent                 ${pct(t.intent)}`);
      for (const f of ENTITY_FIELDS) out(`  entities.${f.padEnd(14)}${pct(t.entities[f])}`);
      out(`  entities (all fields)  ${pct(t.entitiesAll)}`);
      out(`  actions (recall)       ${pct(t.actionsRecall)}`);
      out(`  actions (top ranked)   ${pct(t.topAction)}`);
      out('');
      out(`  held-out subset (${heldOut.cases} messages never tuned against): intent ${pct(heldOut.intent).trim()}, all entities ${pct(heldOut.entitiesAll).trim()}, actions recall ${pct(heldOut.actionsRecall).trim()}, top action ${pct(heldOut.topAction).trim()}`);
      out(`  tuning subset (${tuned.cases} messages): intent ${pct(tuned.intent).trim()}`);
      out('');
      out('  intent accuracy by label:');
      for (const [intent, row] of Object.entries(t.perIntent)) out(`    ${intent.padEnd(24)} ${row.correct}/${row.cases}`);
      const misses = scores.filter((s) => !s.intent);
      if (misses.length) {
        out('');
        out('  intent misses:');
        for (const s of misses) {
          const c = EVAL_CASES.find((x) => x.id === s.id)!;
          out(`    ${s.id.padEnd(9)} expected ${c.intent}, got ${s.got.intent}: "${c.message.slice(0, 70)}"`);
        }
      }
      if (args.has('--verbose')) {
        out('');
        for (const s of scores) {
          const c = EVAL_CASES.find((x) => x.id === s.id)!;
          const bad = ENTITY_FIELDS.filter((f) => !s.entities[f]).map((f) => `${f}: expected ${JSON.stringify(c.entities[f] ?? null)} got ${JSON.stringify(s.got.entities[f])}`);
          if (!s.actionsRecall || !s.topAction) bad.push(`actions: expected ${JSON.stringify(c.actions)} got ${JSON.stringify(s.got.actions)}`);
          if (bad.length) out(`    ${s.id.padEnd(9)} ${bad.join('; ')}`);
        }
      }
      out('');
      out(mode === 'rules' ? `${pass ? 'PASS' : 'FAIL'}: no-model intent accuracy ${pct(t.intent).trim()} (required ≥ ${REQUIRED_RULES_INTENT_ACCURACY * 100}%)` : 'model run: no threshold applied');
    }
    return pass ? 0 : 1;
  } finally {
    await services.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`eval failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
