import type { DunningCaseRow } from '../../../shared/contract/dunning';
import { queueCsv } from '../../services/dunning/csv';
import { toCaseRow, type QueueRow } from '../../services/dunning/queue-query';
import { querySnapshot, queueEntry, snapshotOfEntries } from '../../services/dunning/queue-snapshot';
import type { DeclineCategory } from '../../../shared/domain/decline-codes';
import type { TeamHandlerMap } from './types';

// "Export CSV" of the team's queue (leads): the same file as a solo desk's, from the server's
// cases and its Stripe mirror. The queue filter and sort are the desk's in-memory ones
// (queue-snapshot.ts) over every case of the account, open or closed, so a filter means on the
// server what it means on a desk, and the rows and columns are the desk's CSV builder's.

// The desk's display row from the server's tables: the customer and invoice from the mirror's objects.
const CASES_SQL = `
  SELECT d.*, c.data->>'name' AS customer_name, c.data->>'email' AS customer_email, i.data->>'number' AS invoice_number,
         (i.data->>'amount_due')::bigint AS invoice_amount_due,
         (SELECT count(*) FROM team_notes n WHERE n.dunning_case_id = d.id)::int AS note_count
    FROM dunning_cases d
    LEFT JOIN stripe_objects c ON c.account_id = d.account_id AND c.id = d.customer_id AND c.type = 'customer'
    LEFT JOIN stripe_objects i ON i.account_id = d.account_id AND i.id = d.invoice_id AND i.type = 'invoice'
   WHERE d.account_id = $1`;

export const dunningExportHandlers: TeamHandlerMap = {
  'dunning.exportCsv': async ({ filters, sort }, ctx) => {
    const nowS = Math.floor(ctx.now() / 1000);
    const { rows } = await ctx.pool.query<QueueRow>(CASES_SQL, [ctx.accountId]);
    const byId = new Map<number, DunningCaseRow>(rows.map((r) => [Number(r.id), toCaseRow(r, nowS)]));
    const entries = [...byId.values()].map((r) =>
      queueEntry({
        id: r.id,
        stage: r.stage,
        category: r.category as DeclineCategory,
        currency: r.currency,
        amount: r.amountAtRisk,
        assignee: r.assignee,
        openedAt: r.openedAt,
        closedAt: r.closedAt,
        attempts: r.attemptCount,
        nextRetry: r.nextPaymentAttempt,
        customerId: r.customerId,
        invoiceId: r.invoiceId,
        declineCode: r.declineCode,
        email: r.customerEmail,
        name: r.customerName,
        number: r.invoiceNumber,
      }),
    );
    const { ids } = querySnapshot(snapshotOfEntries(ctx.accountId, entries), { filters, sort }, nowS);
    return queueCsv(ids.map((id) => byId.get(id)!), ctx.now());
  },
};
