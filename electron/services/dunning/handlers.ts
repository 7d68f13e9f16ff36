import type { ServiceContext } from '../core/context';
import type { HandlerTable } from '../core/handler-table';
import { startAutoReconcile } from './auto-reconcile';
import { getDunningCase } from './case-detail';
import { queueCsv } from './csv';
import { addCaseNote, assignCases, moveCasesToStage } from './manual-actions';
import { dunningMetrics } from './metrics';
import { allDunningCases, listDunningCases } from './queue-query';
import { reconcileDunning } from './reconcile';
import { retryDunningCase } from './retry-payment';
import { deleteView, listSavedViews, saveView } from './saved-views';
import { sendPaymentMethodLinks } from './send-portal-links';
import { prepared } from '../db/statements';
import { OPEN_STAGES_SQL } from './open-stages-sql';
import { agentName } from '../workspace/agent-name';

const nowSeconds = (ctx: ServiceContext) => Math.floor(ctx.now() / 1000);

/** Reconciles every account's cases (start-up, after demo seeding). */
export function reconcileAllAccounts(ctx: ServiceContext): void {
  const accounts = prepared(ctx.db, 'SELECT id FROM accounts').all() as Array<{ id: string }>;
  for (const a of accounts) reconcileDunning(ctx, a.id);
}

export function registerDunningHandlers(table: HandlerTable, ctx: ServiceContext, onClose: (fn: () => void) => void): void {
  reconcileAllAccounts(ctx);
  const auto = startAutoReconcile(ctx);
  // Any change announced in this process may change what the queue shows (a case, a customer's
  // email): the customers named are re-read into the in-memory queue; with none named, it is rebuilt.
  const stopInvalidating = ctx.hub.subscribe((channel, payload) => {
    if (channel !== 'data.changed') return;
    const change = payload as { accountId: string; customerIds?: string[] };
    if (change.customerIds) ctx.registries.queueSnapshots.patch(change.accountId, change.customerIds);
    else ctx.registries.queueSnapshots.invalidate();
  });
  onClose(() => {
    auto.stop();
    stopInvalidating();
  });

  const account = () => ctx.workspace.current().id;
  table.register('dunning', {
    'dunning.count': () => {
      const row = prepared(ctx.db, `SELECT COUNT(*) AS n FROM dunning_cases WHERE account_id = ? AND stage IN ${OPEN_STAGES_SQL}`).get(account()) as { n: number };
      return { open: row.n };
    },
    'dunning.list': ({ filters, sort, offset, limit }) => listDunningCases(ctx.db, ctx.registries.queueSnapshots, account(), { filters, sort }, { offset, limit }, nowSeconds(ctx)),
    'dunning.get': ({ caseId }) => getDunningCase(ctx, caseId),
    'dunning.assign': ({ caseIds, assignee }, call) => ({ updated: assignCases(ctx, caseIds, assignee, call.actor) }),
    'dunning.setStage': ({ caseIds, stage }, call) => moveCasesToStage(ctx, caseIds, stage, call.actor),
    'dunning.addNote': ({ caseId, body }, call) => addCaseNote(ctx, caseId, body, call.actor),
    'dunning.sendPortalLinks': ({ caseIds }, call) => sendPaymentMethodLinks(ctx, caseIds, call.actor),
    'dunning.retry': ({ caseId }, call) => retryDunningCase(ctx, caseId, call.actor),
    'dunning.exportCsv': ({ filters, sort }) => {
      return queueCsv(allDunningCases(ctx.db, ctx.registries.queueSnapshots, account(), { filters, sort }, nowSeconds(ctx)), ctx.now());
    },
    'dunning.metrics': () => dunningMetrics(ctx.db, account(), nowSeconds(ctx)),
    'dunning.assignees': () => {
      const rows = prepared(ctx.db, 'SELECT DISTINCT assignee FROM dunning_cases WHERE account_id = ? AND assignee IS NOT NULL ORDER BY assignee COLLATE NOCASE').all(account()) as Array<{ assignee: string }>;
      const me = agentName(ctx);
      return [...new Set([me, ...rows.map((r) => r.assignee)])];
    },
    'dunning.views.list': () => listSavedViews(ctx.db),
    'dunning.views.save': ({ name, filters, sort }, call) => saveView(ctx.db, name, { filters, sort }, call.actor, ctx.now()),
    'dunning.views.delete': ({ id }) => ({ deleted: deleteView(ctx.db, id) }),
  });
}
