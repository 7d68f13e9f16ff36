import type { CopilotAnalysis, CopilotEntities } from '../../../../shared/contract/copilot';
import type { EvalCase } from './dataset';

// Scoring of one answer against its label, and the totals `npm run eval` prints.

export const ENTITY_FIELDS = ['amount', 'currency', 'date', 'invoiceNumber', 'plan'] as const satisfies ReadonlyArray<keyof CopilotEntities>;

export interface CaseScore {
  id: string;
  intent: boolean;
  entities: Record<(typeof ENTITY_FIELDS)[number], boolean>;
  /** Every expected action type was proposed. */
  actionsRecall: boolean;
  /** The first proposed action is the expected first one (both empty counts as right). */
  topAction: boolean;
  got: { intent: string; entities: CopilotEntities; actions: string[] };
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.trim().toLowerCase() === b.trim().toLowerCase();
  return a === b;
}

export function scoreCase(c: EvalCase, got: Pick<CopilotAnalysis, 'intent' | 'entities' | 'actions'>): CaseScore {
  const types = got.actions.map((a) => a.type);
  const entities = Object.fromEntries(ENTITY_FIELDS.map((f) => [f, same(got.entities[f], c.entities[f] ?? null)])) as CaseScore['entities'];
  return {
    id: c.id,
    intent: got.intent === c.intent,
    entities,
    actionsRecall: c.actions.every((t) => types.includes(t)),
    topAction: c.actions.length === 0 ? types.filter((t) => t !== 'none').length === 0 : types[0] === c.actions[0],
    got: { intent: got.intent, entities: got.entities, actions: types },
  };
}

export interface EvalTotals {
  cases: number;
  intent: number;
  entities: Record<(typeof ENTITY_FIELDS)[number], number>;
  entitiesAll: number;
  actionsRecall: number;
  topAction: number;
  perIntent: Record<string, { cases: number; correct: number }>;
}

export function totals(cases: EvalCase[], scores: CaseScore[]): EvalTotals {
  const n = scores.length || 1;
  const frac = (k: number) => Number((k / n).toFixed(4));
  const perIntent: EvalTotals['perIntent'] = {};
  scores.forEach((s, i) => {
    const label = cases[i]!.intent;
    const row = (perIntent[label] ??= { cases: 0, correct: 0 });
    row.cases++;
    if (s.intent) row.correct++;
  });
  return {
    cases: scores.length,
    intent: frac(scores.filter((s) => s.intent).length),
    entities: Object.fromEntries(ENTITY_FIELDS.map((f) => [f, frac(scores.filter((s) => s.entities[f]).length)])) as EvalTotals['entities'],
    entitiesAll: frac(scores.filter((s) => ENTITY_FIELDS.every((f) => s.entities[f])).length),
    actionsRecall: frac(scores.filter((s) => s.actionsRecall).length),
    topAction: frac(scores.filter((s) => s.topAction).length),
    perIntent,
  };
}
