import type Database from 'better-sqlite3';
import { isOpenDunningStage, OPEN_DUNNING_STAGES, type CurrencyAmount, type DunningQuery, type DunningSortKey, type DunningStage } from '../../../shared/contract/dunning';
import type { DeclineCategory } from '../../../shared/domain/decline-codes';
import { minorUnitExponent } from '../../../shared/domain/money';
import { OPEN_STAGES_SQL } from './open-stages-sql';
import { queueConditions, type QueueCondition, type QueueField } from './queue-filter';

// The open queue kept in memory for filtering and sorting: a team lead flips filters all day and
// every change must feel instant, which a SQL scan + sort of 10k cases per keystroke is not
// (≈10 ms, and more with a text filter). The snapshot holds the few fields the filters and sorts
// read, for OPEN cases only, with one pre-sorted order per sort key; a query filters a pre-sorted
// order (which keeps it sorted) and the page's display rows are then read fresh from SQL.
// It follows changes: a 'data.changed' notice naming customers patches just their entries (the
// pre-sorted orders are then nearly sorted, which the sort handles in about linear time); a notice
// naming none drops the snapshot, rebuilt on the next read (see handlers.ts). PRAGMA data_version
// catches commits by other connections (the CLI on the same file), which this process never hears of.

export interface QueueEntry {
  id: number;
  stage: DunningStage;
  category: DeclineCategory;
  currency: string;
  amount: number;
  /** amount in major units of its own currency (what amount bounds and the amount sort compare). */
  major: number;
  assignee: string | null;
  assigneeKey: string | null;
  openedAt: number;
  /** Set for a closed case (the team server's export includes them): its age runs to closing. */
  closedAt: number | null;
  attempts: number;
  nextRetry: number | null;
  customerId: string;
  /** Lowercased customer email, name and id, invoice id and number, decline code, assignee. */
  text: string;
}

export interface Snapshot {
  accountId: string;
  version: number;
  dataVersion: number;
  entries: QueueEntry[];
  sorted: Partial<Record<DunningSortKey, QueueEntry[]>>;
}

const LOAD_SQL = `SELECT d.id, d.stage, d.category, d.currency, d.amount_at_risk, d.assignee, d.opened_at, d.attempt_count, d.next_payment_attempt,
              d.customer_id, d.invoice_id, d.decline_code, c.email, c.name, i.number
         FROM dunning_cases d
         LEFT JOIN customers c ON c.account_id = d.account_id AND c.id = d.customer_id
         LEFT JOIN invoices i ON i.account_id = d.account_id AND i.id = d.invoice_id
        WHERE d.account_id = ? AND d.stage IN ${OPEN_STAGES_SQL}`;

function load(db: Database.Database, accountId: string, customerIds?: readonly string[]): QueueEntry[] {
  const rows = (
    customerIds
      ? db.prepare(`${LOAD_SQL} AND d.customer_id IN (SELECT value FROM json_each(?))`).raw().all(accountId, JSON.stringify(customerIds))
      : db.prepare(LOAD_SQL).raw().all(accountId)
  ) as Array<[number, DunningStage, DeclineCategory, string, number, string | null, number, number, number | null, string, string | null, string | null, string | null, string | null, string | null]>;
  return rows.map(([id, stage, category, currency, amount, assignee, openedAt, attempts, nextRetry, customerId, invoiceId, declineCode, email, name, number]) =>
    queueEntry({ id, stage, category, currency, amount, assignee, openedAt, closedAt: null, attempts, nextRetry, customerId, invoiceId, declineCode, email, name, number }),
  );
}

/** One case as the queue filter and sorts read it (the desk's open cases; any case on the team server). */
export function queueEntry(c: Omit<QueueEntry, 'major' | 'assigneeKey' | 'text'> & { invoiceId: string | null; declineCode: string | null; email: string | null; name: string | null; number: string | null }): QueueEntry {
  return {
    id: c.id,
    stage: c.stage,
    category: c.category,
    currency: c.currency,
    amount: c.amount,
    major: c.amount / 10 ** minorUnitExponent(c.currency),
    assignee: c.assignee,
    assigneeKey: c.assignee?.toLowerCase() ?? null,
    openedAt: c.openedAt,
    closedAt: c.closedAt,
    attempts: c.attempts,
    nextRetry: c.nextRetry,
    customerId: c.customerId,
    text: [c.email, c.name, c.customerId, c.invoiceId, c.number, c.declineCode, c.assignee].filter(Boolean).join('\u0000').toLowerCase(),
  };
}

/** A queue of given entries, not kept or followed (the team server's export builds one per call). */
export function snapshotOfEntries(accountId: string, entries: QueueEntry[]): Snapshot {
  return { accountId, version: 0, dataVersion: 0, entries, sorted: {} };
}

/**
 * The open queues of one cache connection, by account. The services hold theirs on the context
 * (`ctx.registries.queueSnapshots`), so it lives and goes with them.
 */
export class QueueSnapshots {
  private version = 0;
  private readonly byAccount = new Map<string, Snapshot>();

  constructor(private readonly db: Database.Database) {}

  /** Marks every snapshot of this cache stale (called on each data.changed notice and by direct writers). */
  invalidate(): void {
    this.version++;
    this.byAccount.clear();
  }

  /** Re-reads the entries of these customers in a built, current snapshot (cheap: a few cases each). */
  patch(accountId: string, customerIds: readonly string[]): void {
    const snap = this.byAccount.get(accountId);
    if (!snap) return;
    const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    if (snap.version !== this.version || snap.dataVersion !== dataVersion) {
      this.byAccount.delete(accountId);
      return;
    }
    const changed = new Set(customerIds);
    const fresh = load(this.db, accountId, customerIds);
    const keep = (e: QueueEntry) => !changed.has(e.customerId);
    snap.entries = [...snap.entries.filter(keep), ...fresh];
    for (const key of Object.keys(snap.sorted) as DunningSortKey[]) {
      snap.sorted[key] = [...snap.sorted[key]!.filter(keep), ...fresh].sort(ASCENDING[key]);
    }
  }

  /** The open queue of an account, rebuilt only when something changed since it was built. */
  of(accountId: string): Snapshot {
    const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    const cached = this.byAccount.get(accountId);
    if (cached && cached.version === this.version && cached.dataVersion === dataVersion) return cached;
    const snap: Snapshot = { accountId, version: this.version, dataVersion, entries: load(this.db, accountId), sorted: {} };
    this.byAccount.set(accountId, snap);
    return snap;
  }
}

// Ascending orders; descending walks them backwards. Ties break on id so paging is stable.
const ASCENDING: Record<DunningSortKey, (a: QueueEntry, b: QueueEntry) => number> = {
  amount: (a, b) => a.major - b.major || a.id - b.id,
  // Age grows as opened_at shrinks: ascending age is descending opened_at.
  age: (a, b) => b.openedAt - a.openedAt || a.id - b.id,
  attempts: (a, b) => a.attempts - b.attempts || a.id - b.id,
  next_retry: (a, b) => (a.nextRetry ?? Infinity) - (b.nextRetry ?? Infinity) || a.id - b.id,
};

function sortedBy(snap: Snapshot, key: DunningSortKey): QueueEntry[] {
  return (snap.sorted[key] ??= [...snap.entries].sort(ASCENDING[key]));
}

export function isOpenOnly(stages: readonly DunningStage[] | undefined): boolean {
  return (stages ?? OPEN_DUNNING_STAGES).every(isOpenDunningStage);
}

// The in-memory side of each field of the queue filter (queue-filter.ts). Entries are open cases,
// so a case's age runs to now.
const FIELD_VALUE: Record<Exclude<QueueField, 'text'>, (e: QueueEntry, nowS: number) => string | number | null> = {
  stage: (e) => e.stage,
  category: (e) => e.category,
  currency: (e) => e.currency,
  major: (e) => e.major,
  assignee: (e) => e.assignee,
  age: (e, nowS) => (e.closedAt ?? nowS) - e.openedAt,
  customerId: (e) => e.customerId,
};

/** One condition as a test of an entry (SQL's NOCASE and LIKE are matched on pre-lowercased text). */
function conditionTest(c: QueueCondition, nowS: number): (e: QueueEntry) => boolean {
  switch (c.op) {
    case 'in': {
      const values = new Set<unknown>(c.values);
      const value = FIELD_VALUE[c.field];
      return (e) => values.has(value(e, nowS));
    }
    case 'equals': {
      const value = FIELD_VALUE[c.field];
      return (e) => value(e, nowS) === c.value;
    }
    case 'equalsIgnoringCase': {
      // The one field compared ignoring case is the assignee, lowercased once when loaded.
      const key = c.value.toLowerCase();
      return (e) => e.assigneeKey === key;
    }
    case 'isNull': {
      const value = FIELD_VALUE[c.field];
      return (e) => value(e, nowS) == null;
    }
    case 'atLeast':
    case 'atMost':
    case 'below': {
      const value = FIELD_VALUE[c.field] as (e: QueueEntry, nowS: number) => number;
      const bound = c.value;
      if (c.op === 'atLeast') return (e) => value(e, nowS) >= bound;
      if (c.op === 'atMost') return (e) => value(e, nowS) <= bound;
      return (e) => value(e, nowS) < bound;
    }
    case 'containsIgnoringCase': {
      const text = c.value.toLowerCase();
      return (e) => e.text.includes(text);
    }
  }
}

export interface SnapshotResult {
  ids: number[];
  total: number;
  totals: CurrencyAmount[];
}

/** Filters and sorts the open queue; `page` undefined returns every matching id. */
export function querySnapshot(snap: Snapshot, query: DunningQuery, nowS: number, page?: { offset: number; limit: number }): SnapshotResult {
  const tests = queueConditions(query.filters).map((c) => conditionTest(c, nowS));
  const keep = (e: QueueEntry) => {
    for (const test of tests) if (!test(e)) return false;
    return true;
  };

  const ordered = sortedBy(snap, query.sort.by);
  const descending = query.sort.dir === 'desc';
  const matches: QueueEntry[] = [];
  const byCurrency = new Map<string, CurrencyAmount>();
  const n = ordered.length;
  for (let i = 0; i < n; i++) {
    const e = ordered[descending ? n - 1 - i : i]!;
    if (!keep(e)) continue;
    matches.push(e);
    const t = byCurrency.get(e.currency);
    if (t) {
      t.amount += e.amount;
      t.count++;
    } else byCurrency.set(e.currency, { currency: e.currency, amount: e.amount, count: 1 });
  }
  // Cases without a scheduled retry come last whichever the direction.
  const list = query.sort.by === 'next_retry' && descending ? [...matches.filter((e) => e.nextRetry != null), ...matches.filter((e) => e.nextRetry == null)] : matches;
  const pageOf = page ? list.slice(page.offset, page.offset + page.limit) : list;
  const totals = [...byCurrency.values()].sort((a, b) => b.count - a.count || a.currency.localeCompare(b.currency));
  return { ids: pageOf.map((e) => e.id), total: matches.length, totals };
}
