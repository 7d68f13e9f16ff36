import type Database from 'better-sqlite3';
import type { CategoryMetrics, CurrencyAmount, DunningMetrics, RecoveryRate } from '../../../shared/contract/dunning';
import type { DeclineCategory } from '../../../shared/domain/decline-codes';
import { prepared } from '../db/statements';
import { OPEN_STAGES_SQL } from './open-stages-sql';
import { assigneeWorkload } from './workload';

// Recovery figures for team leads. Every amount is per currency (never summed across them).
// Recovery rate is by cohort: of the amount that ENTERED dunning in the period (cases opened in
// it), how much has been recovered so far; it is 0..1 and comparable between periods.

const DAY = 86_400;

function amounts(db: Database.Database, sql: string, params: unknown[]): CurrencyAmount[] {
  return prepared(db, sql).all(...params) as CurrencyAmount[];
}

function rates(db: Database.Database, accountId: string, since: number): RecoveryRate[] {
  const rows = prepared(
    db,
    `SELECT currency, SUM(entered_amount) AS entered, SUM(CASE WHEN stage = 'recovered' THEN recovered_amount ELSE 0 END) AS recovered, COUNT(*) AS cases
       FROM dunning_cases WHERE account_id = ? AND opened_at >= ? GROUP BY currency ORDER BY entered DESC, currency`,
  ).all(accountId, since) as Array<Omit<RecoveryRate, 'rate'>>;
  return rows.map((r) => ({ ...r, rate: r.entered > 0 ? Math.min(1, r.recovered / r.entered) : null }));
}

/** The value at fraction p (0..1) of sorted numbers, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const TIME_TO_RECOVER_BUCKETS: ReadonlyArray<{ label: string; upTo: number }> = [
  { label: '< 1 day', upTo: DAY },
  { label: '1–3 days', upTo: 3 * DAY },
  { label: '3–7 days', upTo: 7 * DAY },
  { label: '7–14 days', upTo: 14 * DAY },
  { label: '14–30 days', upTo: 30 * DAY },
  { label: '30+ days', upTo: Infinity },
];

export function dunningMetrics(db: Database.Database, accountId: string, nowS: number): DunningMetrics {
  const since30 = nowS - 30 * DAY;
  const since90 = nowS - 90 * DAY;
  const atRisk = amounts(
    db,
    `SELECT currency, SUM(amount_at_risk) AS amount, COUNT(*) AS count FROM dunning_cases WHERE account_id = ? AND stage IN ${OPEN_STAGES_SQL} GROUP BY currency ORDER BY amount DESC, currency`,
    [accountId],
  );
  const recoveredSince = (since: number) =>
    amounts(
      db,
      `SELECT currency, SUM(recovered_amount) AS amount, COUNT(*) AS count FROM dunning_cases
        WHERE account_id = ? AND stage = 'recovered' AND closed_at >= ? GROUP BY currency ORDER BY amount DESC, currency`,
      [accountId, since],
    );

  const byCategory = (
    prepared(
      db,
      `SELECT category, currency,
              SUM(CASE WHEN stage IN ${OPEN_STAGES_SQL} THEN 1 ELSE 0 END) AS openCases,
              SUM(CASE WHEN stage IN ${OPEN_STAGES_SQL} THEN amount_at_risk ELSE 0 END) AS atRisk,
              SUM(CASE WHEN opened_at >= @since THEN entered_amount ELSE 0 END) AS entered,
              SUM(CASE WHEN opened_at >= @since AND stage = 'recovered' THEN recovered_amount ELSE 0 END) AS recovered,
              SUM(CASE WHEN opened_at >= @since AND stage = 'recovered' THEN 1 ELSE 0 END) AS recoveredCases,
              SUM(CASE WHEN opened_at >= @since AND stage = 'lost' THEN 1 ELSE 0 END) AS lostCases
         FROM dunning_cases WHERE account_id = @a AND (stage IN ${OPEN_STAGES_SQL} OR opened_at >= @since)
        GROUP BY category, currency ORDER BY currency, atRisk DESC`,
    ).all({ a: accountId, since: since90 }) as Array<Omit<CategoryMetrics, 'rate'> & { category: DeclineCategory }>
  ).map((r) => ({ ...r, rate: r.entered > 0 ? Math.min(1, r.recovered / r.entered) : null }));

  const durations = (
    prepared(
      db,
      `SELECT closed_at - opened_at AS d FROM dunning_cases WHERE account_id = ? AND stage = 'recovered' AND closed_at >= ? ORDER BY d`,
    ).all(accountId, since90) as Array<{ d: number }>
  ).map((r) => Math.max(0, r.d));
  const buckets = TIME_TO_RECOVER_BUCKETS.map((b) => ({ label: b.label, count: 0 }));
  for (const d of durations) buckets[TIME_TO_RECOVER_BUCKETS.findIndex((b) => d < b.upTo)]!.count++;

  return {
    asOf: nowS,
    atRisk,
    recovered30: recoveredSince(since30),
    recovered90: recoveredSince(since90),
    recoveryRate30: rates(db, accountId, since30),
    recoveryRate90: rates(db, accountId, since90),
    byCategory,
    timeToRecover: { cases: durations.length, medianSeconds: median(durations), p90Seconds: percentile(durations, 0.9), buckets },
    byAssignee: assigneeWorkload(db, accountId, since90),
  };
}
