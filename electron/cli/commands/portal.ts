import { AppError } from '../../../shared/contract/errors';
import { PORTAL_FLOW_LABELS, PORTAL_FLOWS, type PortalFlow, type PortalLinkRecord } from '../../../shared/contract/portal';
import { UsageError, type CliCommand } from '../command';
import { openServices } from '../open-services';
import { agentName } from '../../services/workspace/agent-name';

function isFlow(value: string): value is PortalFlow {
  return (PORTAL_FLOWS as readonly string[]).includes(value);
}

export const portalCommand: CliCommand = {
  name: 'portal',
  summary: 'create a Customer Portal link for a customer (simulated in the demo workspace)',
  usage: 'portal <customer> [--flow F] [--subscription S] [--return-url U]',
  options: { flow: { type: 'string' }, subscription: { type: 'string' }, 'return-url': { type: 'string' } },
  async run({ positionals, values, globals, io }) {
    const [customerId, ...extra] = positionals;
    if (!customerId) throw new UsageError('portal: which customer? Pass a customer id (cus_…).');
    if (extra.length) throw new UsageError(`portal: one customer at a time (unexpected: ${extra.join(' ')})`);
    const flow = (values.flow as string | undefined) ?? 'home';
    if (!isFlow(flow)) throw new UsageError(`portal: unknown flow "${flow}". Flows: ${PORTAL_FLOWS.join(', ')} (home is the portal home page).`);

    const services = await openServices(globals, io);
    try {
      const actor = agentName(services.ctx);
      const input = {
        customerId,
        flow,
        ...(values.subscription !== undefined ? { subscriptionId: values.subscription } : {}),
        ...(values['return-url'] !== undefined ? { returnUrl: values['return-url'] } : {}),
      };
      // Through the handler table, so the CLI validates exactly as the app does.
      const result = await services.table.dispatch('portal.createLink', input, { actor });
      if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
      const link = result.value as PortalLinkRecord;
      const out = {
        url: link.url,
        flow: link.flow,
        customer: link.customerId,
        subscription: link.subscriptionId,
        /** Unix seconds, as Stripe writes `created`. */
        created: Math.floor(link.createdAt / 1000),
        simulated: link.simulated,
      };
      if (globals.json) io.out(JSON.stringify(out));
      else {
        io.out(link.url);
        io.out(`${PORTAL_FLOW_LABELS[link.flow]} for ${link.customerId}${link.subscriptionId ? ` (${link.subscriptionId})` : ''}${link.simulated ? ' — simulated: demo workspace, the link opens nothing' : ''}`);
      }
    } finally {
      await services.close();
    }
  },
};
