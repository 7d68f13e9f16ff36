import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../core/context';
import { AppError } from '../../../shared/contract/errors';
import { createPortalLink } from '../portal/create-link';
import { addHistory, getCase } from './case-store';

// Bulk "send the payment-method-update link": one Customer Portal link per customer of the chosen
// cases (the portal service creates the session, records the link and the audit row; simulated in
// the demo workspace). Failures are reported per case in words; the rest still go out.

export interface SentLinks {
  sent: Array<{ caseId: number; customerId: string; url: string; simulated: boolean }>;
  failed: Array<{ caseId: number; message: string }>;
}

export async function sendPaymentMethodLinks(ctx: ServiceContext, caseIds: readonly number[], actor: string): Promise<SentLinks> {
  const out: SentLinks = { sent: [], failed: [] };
  const accountId = ctx.workspace.current().id;
  const byCustomer = new Map<string, { url: string; simulated: boolean }>();
  const batch = randomUUID();
  for (const caseId of new Set(caseIds)) {
    const c = getCase(ctx.db, caseId);
    if (!c || c.account_id !== accountId) {
      out.failed.push({ caseId, message: `No dunning case ${caseId} in this account.` });
      continue;
    }
    try {
      let link = byCustomer.get(c.customer_id);
      if (!link) {
        const record = await createPortalLink(ctx, {
          customerId: c.customer_id,
          flow: 'payment_method_update',
          actor,
          // One key per customer per bulk action: a retried request returns the same link.
          idempotencyKey: `dunning-pmu:${accountId}:${c.customer_id}:${batch}`,
        });
        link = { url: record.url, simulated: record.simulated };
        byCustomer.set(c.customer_id, link);
      }
      addHistory(ctx.db, { caseId: c.id, atMs: ctx.now(), actor, kind: 'portal_link', detail: link.simulated ? 'payment_method_update (simulated)' : 'payment_method_update' });
      out.sent.push({ caseId: c.id, customerId: c.customer_id, ...link });
    } catch (err) {
      if (!(err instanceof AppError)) ctx.log.error('portal link for a dunning case failed', { caseId, error: err });
      out.failed.push({ caseId, message: err instanceof AppError ? err.message : 'Something went wrong creating the link; the details are in the app log.' });
    }
  }
  if (out.sent.length) ctx.hub.emit('data.changed', { accountId, kinds: ['dunning', 'portal_links', 'audit'], customerIds: [...byCustomer.keys()] });
  return out;
}
