import type Database from 'better-sqlite3';
import type { CurrencyAmount, DunningCaseRow, DunningQuery } from '../../../shared/contract/dunning';
import { type CaseRecord } from './case-store';
import { prepared } from '../db/statements';
import { isOpenOnly, querySnapshot, type QueueSnapshots } from './queue-snapshot';
import { queueConditions, type QueueCondition, type QueueField } from './queue-filter';
import { THREE_DECIMAL_CURRENCIES, ZERO_DECIMAL_CURRENCIES } from '../../../shared/domain/money';
import { sqlStringList } from '../db/sql-list';

// The queue: filter, sort and page the cases of one account in SQL (what each filter means is in
// queue-filter.ts, shared with the in-memory open queue). Amount bounds and the amount
// sort compare each case in the MAJOR units of its own currency (so "over 100" means $100 or ¥100,
// and ¥5,000 does not outrank $4,000 because its minor units happen to be bigger); sums are never
// taken across currencies: totals come back per currency.

// The same exponents as minorUnitExponent (shared/domain/money.ts), generated from its lists.
const MAJOR_AMOUNT = `(CASE WHEN d.currency IN ${sqlStringList(ZERO_DECIMAL_CURRENCIES)} THEN d.amount_at_risk * 1.0 WHEN d.currency IN ${sqlStringList(THREE_DECIMAL_CURRENCIES)} THEN d.amount_at_risk / 1000.0 ELSE d.amount_at_risk / 100.0 END)`;
const AGE_SECONDS = `(COALESCE(d.closed_at, @now) - d.opened_at)`;

const SORT_SQL: Record<DunningQuery['sort']['by'], string> = {
  amount: MAJOR_AMOUNT,
  age: AGE_SECONDS,
  attempts: 'd.attempt_count',
  next_retry: 'd.next_payment_attempt',
};

export interface QueueWhere {
  sql: string;
  params: Record<string, unknown>;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The SQL side of each field of the queue filter (queue-filter.ts); `@now` is unix seconds. */
const FIELD_SQL: Record<Exclude<QueueField, 'text'>, string> = {
  stage: 'd.stage',
  category: 'd.category',
  currency: 'd.currency',
  major: MAJOR_AMOUNT,
  assignee: 'd.assignee',
  age: AGE_SECONDS,
  customerId: 'd.customer_id',
};

// Matching customers and invoices are found once (non-correlated subqueries), not per case.
const textMatch = (p: string) => `(d.customer_id IN (SELECT qc.id FROM customers qc WHERE qc.account_id = @account
                   AND (qc.email LIKE ${p} ESCAPE '\\' OR qc.name LIKE ${p} ESCAPE '\\' OR qc.id LIKE ${p} ESCAPE '\\'))
      OR d.invoice_id IN (SELECT qi.id FROM invoices qi WHERE qi.account_id = @account AND (qi.number LIKE ${p} ESCAPE '\\' OR qi.id LIKE ${p} ESCAPE '\\'))
      OR d.decline_code LIKE ${p} ESCAPE '\\' OR d.assignee LIKE ${p} ESCAPE '\\')`;

const COMPARE_SQL = { atLeast: '>=', atMost: '<=', below: '<' } as const;

/** One condition as SQL; its value goes in as the bound parameter `name`. */
function conditionSql(c: QueueCondition, name: string, params: Record<string, unknown>): string {
  const p = `@${name}`;
  switch (c.op) {
    case 'in':
      params[name] = JSON.stringify(c.values);
      return `${FIELD_SQL[c.field]} IN (SELECT value FROM json_each(${p}))`;
    case 'equals':
      params[name] = c.value;
      return `${FIELD_SQL[c.field]} = ${p}`;
    case 'equalsIgnoringCase':
      params[name] = c.value;
      return `${FIELD_SQL[c.field]} = ${p} COLLATE NOCASE`;
    case 'isNull':
      return `${FIELD_SQL[c.field]} IS NULL`;
    case 'atLeast':
    case 'atMost':
    case 'below':
      params[name] = c.value;
      return `${FIELD_SQL[c.field]} ${COMPARE_SQL[c.op]} ${p}`;
    case 'containsIgnoringCase':
      params[name] = likePattern(c.value);
      return textMatch(p);
  }
}

/** The WHERE clause of a filtered queue; `@now` is unix seconds. */
export function buildWhere(accountId: string, filters: DunningQuery['filters'], nowS: number): QueueWhere {
  const params: Record<string, unknown> = { account: accountId, now: nowS };
  const parts = ['d.account_id = @account', ...queueConditions(filters).map((c, i) => conditionSql(c, `c${i}`, params))];
  return { sql: parts.join(' AND '), params };
}

function orderBy(sort: DunningQuery['sort']): string {
  const dir = sort.dir === 'asc' ? 'ASC' : 'DESC';
  const expr = SORT_SQL[sort.by];
  // Cases without a scheduled retry sort last whichever the direction.
  const nullsLast = sort.by === 'next_retry' ? `${expr} IS NULL, ` : '';
  return `${nullsLast}${expr} ${dir}, d.id ${dir}`;
}

/** A case with what the queue shows of its customer and invoice (SQLite on a desk, PostgreSQL on the team server). */
export interface QueueRow extends CaseRecord {
  customer_name: string | null;
  customer_email: string | null;
  invoice_number: string | null;
  invoice_amount_due: number | null;
  note_count: number;
}

export function toCaseRow(r: QueueRow, nowS: number): DunningCaseRow {
  return {
    id: r.id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    customerEmail: r.customer_email,
    invoiceId: r.invoice_id,
    invoiceNumber: r.invoice_number,
    subscriptionId: r.subscription_id,
    stage: r.stage,
    assignee: r.assignee,
    amountAtRisk: r.amount_at_risk,
    amountDue: r.invoice_amount_due ?? r.amount_at_risk,
    currency: r.currency,
    recoveredAmount: r.recovered_amount,
    attemptCount: r.attempt_count,
    nextPaymentAttempt: r.next_payment_attempt,
    declineCode: r.decline_code,
    adviceCode: r.advice_code,
    category: r.category,
    openedAt: r.opened_at,
    stageChangedAt: r.stage_changed_at,
    closedAt: r.closed_at,
    closedReason: r.closed_reason,
    daysInDunning: Math.max(0, Math.floor(((r.closed_at ?? nowS) - r.opened_at) / 86_400)),
    noteCount: r.note_count,
  };
}

const DISPLAY_COLUMNS = `d.*, c.name AS customer_name, c.email AS customer_email, i.number AS invoice_number, i.amount_due AS invoice_amount_due,
  (SELECT COUNT(*) FROM notes n WHERE n.dunning_case_id = d.id) AS note_count`;

function fromFiltered(where: QueueWhere): string {
  return `FROM dunning_cases d WHERE ${where.sql}`;
}

export interface QueuePage {
  rows: DunningCaseRow[];
  total: number;
  totals: CurrencyAmount[];
}

/**
 * One page of the queue plus the filtered set's count and amount at risk per currency. Queries over
 * open stages (the queue) run on the in-memory snapshot of `queue` (the same connection's, kept by
 * the services); queries including closed cases run in SQL.
 */
export function listDunningCases(db: Database.Database, queue: QueueSnapshots, accountId: string, query: DunningQuery, page: { offset: number; limit: number }, nowS: number): QueuePage {
  if (isOpenOnly(query.filters.stages)) {
    const r = querySnapshot(queue.of(accountId), query, nowS, page);
    return { rows: selectRows(db, r.ids, nowS), total: r.total, totals: r.totals };
  }
  return listDunningCasesSql(db, accountId, query, page, nowS);
}

/** The same query answered by SQL alone (closed stages; and the reference the snapshot is tested against). */
export function listDunningCasesSql(db: Database.Database, accountId: string, query: DunningQuery, page: { offset: number; limit: number }, nowS: number): QueuePage {
  const where = buildWhere(accountId, query.filters, nowS);
  const ids = prepared(db, `SELECT d.id ${fromFiltered(where)} ORDER BY ${orderBy(query.sort)} LIMIT @limit OFFSET @offset`)
    .all({ ...where.params, limit: page.limit, offset: page.offset }) as Array<{ id: number }>;
  const rows = selectRows(db, ids.map((r) => r.id), nowS);
  const totals = prepared(db, `SELECT d.currency AS currency, SUM(d.amount_at_risk) AS amount, COUNT(*) AS count ${fromFiltered(where)} GROUP BY d.currency ORDER BY count DESC, d.currency`)
    .all(where.params) as CurrencyAmount[];
  return { rows, total: totals.reduce((n, t) => n + t.count, 0), totals };
}

/** Every case of the filtered queue, in order (CSV export, CLI). */
export function allDunningCases(db: Database.Database, queue: QueueSnapshots, accountId: string, query: DunningQuery, nowS: number): DunningCaseRow[] {
  if (isOpenOnly(query.filters.stages)) return selectRows(db, querySnapshot(queue.of(accountId), query, nowS).ids, nowS);
  const where = buildWhere(accountId, query.filters, nowS);
  const ids = prepared(db, `SELECT d.id ${fromFiltered(where)} ORDER BY ${orderBy(query.sort)}`).all(where.params) as Array<{ id: number }>;
  return selectRows(db, ids.map((r) => r.id), nowS);
}

/** Display rows for case ids, in the given order. */
export function selectRows(db: Database.Database, ids: readonly number[], nowS: number): DunningCaseRow[] {
  if (ids.length === 0) return [];
  const rows = prepared(
    db,
    `SELECT ${DISPLAY_COLUMNS} FROM dunning_cases d
       LEFT JOIN customers c ON c.account_id = d.account_id AND c.id = d.customer_id
       LEFT JOIN invoices i ON i.account_id = d.account_id AND i.id = d.invoice_id
      WHERE d.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids)) as QueueRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toCaseRow(r, nowS)] : [];
  });
}
