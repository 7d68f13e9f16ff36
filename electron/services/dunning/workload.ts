import type Database from 'better-sqlite3';
import type { AssigneeWorkload, CurrencyAmount } from '../../../shared/contract/dunning';
import { prepared } from '../db/statements';
import { OPEN_STAGES_SQL } from './open-stages-sql';

// The lead's per-agent view: each assignee's open cases, amount at risk and recent recoveries,
// from the local cases (a team desk's replica or a solo desk's own), so it needs no server round
// trip. On a team an agent is one row by id even if renamed (one of the names on its cases); a solo desk
// groups by the free-text name. Unassigned cases are their own row, last.

interface Row {
  agentId: string | null;
  assignee: string | null;
  currency: string;
  openCases: number;
  atRisk: number;
  recovered: number;
  recoveredCases: number;
}

export function assigneeWorkload(db: Database.Database, accountId: string, sinceS: number): AssigneeWorkload[] {
  const rows = prepared(
    db,
    `SELECT assignee_agent_id AS agentId, MAX(assignee) AS assignee, currency,
            SUM(CASE WHEN stage IN ${OPEN_STAGES_SQL} THEN 1 ELSE 0 END) AS openCases,
            SUM(CASE WHEN stage IN ${OPEN_STAGES_SQL} THEN amount_at_risk ELSE 0 END) AS atRisk,
            SUM(CASE WHEN stage = 'recovered' THEN recovered_amount ELSE 0 END) AS recovered,
            SUM(CASE WHEN stage = 'recovered' THEN 1 ELSE 0 END) AS recoveredCases
       FROM dunning_cases
      WHERE account_id = @a AND (stage IN ${OPEN_STAGES_SQL} OR (stage = 'recovered' AND closed_at >= @since))
      GROUP BY COALESCE(assignee_agent_id, assignee), currency`,
  ).all({ a: accountId, since: sinceS }) as Row[];
  const byKey = new Map<string, AssigneeWorkload>();
  for (const r of rows) {
    const unassigned = r.agentId === null && r.assignee === null;
    const key = unassigned ? '' : (r.agentId ?? `name:${r.assignee}`);
    let w = byKey.get(key);
    if (!w) byKey.set(key, (w = { agentId: r.agentId, assignee: unassigned ? null : r.assignee, openCases: 0, atRisk: [], recovered90: [] }));
    w.openCases += r.openCases;
    if (r.openCases > 0) w.atRisk.push({ currency: r.currency, amount: r.atRisk, count: r.openCases });
    if (r.recoveredCases > 0) w.recovered90.push({ currency: r.currency, amount: r.recovered, count: r.recoveredCases });
  }
  const byAmount = (x: CurrencyAmount, y: CurrencyAmount) => y.amount - x.amount || x.currency.localeCompare(y.currency);
  for (const w of byKey.values()) {
    w.atRisk.sort(byAmount);
    w.recovered90.sort(byAmount);
  }
  const unassigned = byKey.get('');
  byKey.delete('');
  const named = [...byKey.values()].sort((x, y) => y.openCases - x.openCases || (x.assignee ?? '').localeCompare(y.assignee ?? ''));
  return unassigned ? [...named, unassigned] : named;
}
