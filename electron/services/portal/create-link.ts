import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import { PORTAL_FLOW_LABELS, type PortalFlow, type PortalLinkRecord } from '../../../shared/contract/portal';
import type { ServiceContext } from '../core/context';
import { findPortalLinkByIdempotencyKey, insertPortalLink } from './links-repo';
import { getPortalSettings, requireHttpUrl } from './portal-settings';
import { toPortalAppError } from './portal-errors';
import { needsSubscription } from '../../../shared/domain/portal-flow-rules';
import { resolveSubscription } from './resolve-subscription';
import { buildSessionParams } from './session-params';

export interface CreatePortalLinkArgs {
  customerId: string;
  flow: PortalFlow;
  subscriptionId?: string;
  returnUrl?: string;
  configurationId?: string;
  items?: Array<{ id: string; price?: string; quantity?: number }>;
  /** One per click; generated when the caller has none (CLI, copilot). */
  idempotencyKey?: string;
  /** Who clicked: recorded in the link row and the audit row. */
  actor: string;
}

/** Where simulated links point: clearly not a real session (the demo has no Stripe account). */
export const DEMO_SESSION_URL_PREFIX = 'https://billing.stripe.com/p/session/demo_';

/**
 * Creates a Customer Portal link for one click: checks the customer, subscription and return URL,
 * creates the billing_portal session (simulated in the demo workspace), stores the link and leaves
 * an audit row. A repeated click with the same idempotency key returns the link already made.
 */
export async function createPortalLink(ctx: ServiceContext, args: CreatePortalLinkArgs): Promise<PortalLinkRecord> {
  const account = ctx.workspace.current();
  const demo = account.isDemo;
  const idempotencyKey = args.idempotencyKey ?? `portal-${randomUUID()}`;
  const repeated = findPortalLinkByIdempotencyKey(ctx.db, account.id, idempotencyKey);
  if (repeated) return repeated;

  const customer = ctx.db.prepare('SELECT id, deleted FROM customers WHERE account_id = ? AND id = ?').get(account.id, args.customerId) as { id: string; deleted: number } | undefined;
  if (customer?.deleted) throw new AppError('conflict', `Customer ${args.customerId} was deleted in Stripe; a deleted customer has no portal.`);
  // Live accounts may hold customers the cache has not synced yet: Stripe checks those.
  if (!customer && demo) throw new AppError('not_found', `There is no customer ${args.customerId} in the demo workspace.`);

  const settings = getPortalSettings(ctx.settings, account.id);
  const rawReturnUrl = args.returnUrl ?? settings.returnUrl;
  if (!rawReturnUrl) {
    throw new AppError(
      'not_configured',
      'No return URL is set for this account: the portal needs a page of your site to send the customer back to. Set one in Settings → Customer portal (or pass --return-url).',
    );
  }
  const returnUrl = requireHttpUrl(rawReturnUrl, 'The return URL');
  const configurationId = args.configurationId ?? settings.defaultConfigurationId ?? null;

  const sub = await resolveSubscription(ctx, { accountId: account.id, customerId: args.customerId, flow: args.flow, subscriptionId: args.subscriptionId, items: args.items, demo });
  const params = buildSessionParams({
    customerId: args.customerId,
    flow: args.flow,
    subscriptionId: needsSubscription(args.flow) ? sub!.id : null,
    returnUrl,
    configurationId,
    items: args.items,
  });
  // The audit row holds what was asked, never the session URL: that URL opens the customer's portal.
  const auditParams = { flow: args.flow, subscription: sub?.id ?? null, return_url: returnUrl, configuration: configurationId, after_expiration: 'customer_login' };
  const audit = { accountId: account.id, actor: args.actor, action: 'portal.create_link', targetType: 'customer', targetId: args.customerId, params: auditParams, idempotencyKey };

  let sessionId: string;
  let url: string;
  if (demo) {
    sessionId = `demo_${randomBytes(12).toString('hex')}`;
    url = `${DEMO_SESSION_URL_PREFIX}${sessionId.slice('demo_'.length)}`;
  } else {
    try {
      const session = await ctx.workspace.stripe(account.id).billingPortal.sessions.create(params, { idempotencyKey });
      sessionId = session.id;
      url = session.url;
    } catch (err) {
      const mapped = toPortalAppError(err, `creating the "${PORTAL_FLOW_LABELS[args.flow]}" portal link`);
      ctx.audit.record({ ...audit, result: 'error', errorMessage: mapped.message });
      throw mapped;
    }
  }

  let link: PortalLinkRecord;
  try {
    link = ctx.db.transaction(() => {
      const row = insertPortalLink(ctx.db, {
        accountId: account.id,
        customerId: args.customerId,
        subscriptionId: sub?.id ?? null,
        flow: args.flow,
        sessionId,
        url,
        returnUrl,
        configurationId,
        simulated: demo,
        createdBy: args.actor,
        createdAtMs: ctx.now(),
        idempotencyKey,
        recoversAfterExpiry: params.after_expiration?.type === 'customer_login',
      });
      ctx.audit.record({ ...audit, params: { ...auditParams, session: sessionId }, result: demo ? 'simulated' : 'ok' });
      return row;
    })();
  } catch (err) {
    // Two concurrent calls with one key: Stripe answered both with the same session; keep the first row.
    const first = findPortalLinkByIdempotencyKey(ctx.db, account.id, idempotencyKey);
    if (first) return first;
    throw err;
  }
  ctx.hub.emit('data.changed', { accountId: account.id, kinds: ['portal_links', 'audit'], customerIds: [args.customerId] });
  return link;
}
