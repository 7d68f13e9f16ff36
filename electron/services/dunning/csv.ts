import type { DunningCaseRow } from '../../../shared/contract/dunning';

// CSV for spreadsheets and scripts: RFC 4180 quoting (a field with a comma, quote or line break is
// quoted, quotes doubled) and CRLF line ends. For files meant for a spreadsheet (the queue export),
// text that the spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an
// apostrophe, so a customer named "=HYPERLINK(…)" stays text; the CLI keeps values exact for scripts.

export type CsvValue = string | number | null | undefined;

export function csvField(value: CsvValue, spreadsheetSafe = false): string {
  if (value == null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value;
  if (spreadsheetSafe && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<K extends string>(columns: readonly K[], records: ReadonlyArray<Record<K, CsvValue>>, options: { spreadsheetSafe?: boolean } = {}): string {
  const lines = [columns.map((c) => csvField(c)).join(',')];
  for (const r of records) lines.push(columns.map((c) => csvField(r[c], options.spreadsheetSafe)).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** The fields of `dunning --json` and `dunning --csv`, in order. Money in minor units; times unix seconds. */
export const CASE_COLUMNS = ['invoice', 'customer', 'email', 'amount_due', 'currency', 'attempt_count', 'next_payment_attempt', 'decline_code', 'category', 'stage', 'assignee'] as const;
export type CaseRecordOut = Record<(typeof CASE_COLUMNS)[number], string | number | null>;

export function caseRecord(r: DunningCaseRow): CaseRecordOut {
  return {
    invoice: r.invoiceId,
    customer: r.customerId,
    email: r.customerEmail,
    amount_due: r.amountDue,
    currency: r.currency,
    attempt_count: r.attemptCount,
    next_payment_attempt: r.nextPaymentAttempt,
    decline_code: r.declineCode,
    category: r.category,
    stage: r.stage,
    assignee: r.assignee,
  };
}

/** The queue export adds what a team lead works with: the case, the amount still at risk, age. */
export const EXPORT_COLUMNS = [...CASE_COLUMNS, 'case_id', 'customer_name', 'amount_at_risk', 'advice_code', 'days_in_dunning', 'opened_at'] as const;

export function exportRecord(r: DunningCaseRow): Record<(typeof EXPORT_COLUMNS)[number], string | number | null> {
  return {
    ...caseRecord(r),
    case_id: r.id,
    customer_name: r.customerName,
    amount_at_risk: r.amountAtRisk,
    advice_code: r.adviceCode,
    days_in_dunning: r.daysInDunning,
    opened_at: new Date(r.openedAt * 1000).toISOString(),
  };
}

/** The queue export as the desk and the team server hand it out: a file name stamped to the minute, spreadsheet-safe CSV. */
export function queueCsv(rows: readonly DunningCaseRow[], nowMs: number): { filename: string; csv: string; rows: number } {
  const stamp = new Date(nowMs).toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return { filename: `dunning-${stamp}.csv`, csv: toCsv(EXPORT_COLUMNS, rows.map(exportRecord), { spreadsheetSafe: true }), rows: rows.length };
}
