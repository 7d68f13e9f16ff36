import { AppError } from '../../../shared/contract/errors';
import type { Customer360 } from '../../../shared/contract/customers';
import { formatMoney } from '../../../shared/domain/money';
import { UsageError, type CliCommand } from '../command';
import { openServices } from '../open-services';
import { agentName } from '../../services/workspace/agent-name';
import { snakeKeys } from '../snake-case';
import { isOpenDunningStage } from '../../../shared/contract/dunning';

/** The CLI shape: Stripe-style snake_case, with `dunning` summarized as a state plus its cases. */
export function customerJson(c: Customer360): Record<string, unknown> {
  const open = c.dunning.filter((d) => isOpenDunningStage(d.stage));
  const { dunning, paymentMethods, ...rest } = c;
  return {
    ...(snakeKeys(rest) as Record<string, unknown>),
    payment_methods: snakeKeys(paymentMethods),
    dunning: { state: open.length ? open[0]!.stage : dunning.length ? 'closed' : 'none', open_cases: open.length, cases: snakeKeys(dunning) },
  };
}

export const customerCommand: CliCommand = {
  name: 'customer',
  summary: 'show one customer: profile, subscriptions, invoices with attempts, payment methods, dunning',
  usage: 'customer <cus_…>',
  async run({ positionals, globals, io }) {
    const [customerId, ...extra] = positionals;
    if (!customerId) throw new UsageError('customer: which customer? Pass a customer id (cus_…).');
    if (extra.length) throw new UsageError(`customer: one customer at a time (unexpected: ${extra.join(' ')})`);

    const services = await openServices(globals, io);
    try {
      const result = await services.table.dispatch('customers.get', { customerId }, { actor: agentName(services.ctx) });
      if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
      const c = result.value as Customer360;
      if (globals.json) {
        io.out(JSON.stringify(customerJson(c)));
        return;
      }
      io.out(`${c.name ?? '(no name)'} <${c.email ?? 'no email'}>  ${c.id}${c.delinquent ? '  DELINQUENT' : ''}`);
      io.out(`  ${c.dashboardUrl}`);
      io.out(`subscriptions (${c.subscriptions.length})`);
      for (const s of c.subscriptions) {
        io.out(`  ${s.id}  ${s.status}${s.cancelAtPeriodEnd ? ' (cancels at period end)' : ''}  ${formatMoney(s.monthlyAmount, s.currency)}/month`);
      }
      io.out(`invoices (${c.invoices.length})`);
      for (const inv of c.invoices) {
        io.out(`  ${inv.id}  ${(inv.number ?? '—').padEnd(16)} ${(inv.status ?? '—').padEnd(13)} ${formatMoney(inv.amountDue, inv.currency).padStart(14)}  attempts ${inv.attemptCount}${inv.declineCode ? `  declined: ${inv.declineCode}` : ''}`);
      }
      io.out(`payment methods (${c.paymentMethods.length})`);
      for (const pm of c.paymentMethods) {
        const flags = [pm.isDefault ? 'default' : null, pm.expired ? 'EXPIRED' : null, pm.expiringSoon ? 'expiring soon' : null].filter(Boolean).join(', ');
        io.out(`  ${pm.id}  ${pm.brand ?? pm.type} •••• ${pm.last4 ?? '—'}  ${pm.expMonth ?? '?'}/${pm.expYear ?? '?'}${flags ? `  (${flags})` : ''}`);
      }
      const open = c.dunning.filter((d) => isOpenDunningStage(d.stage));
      io.out(`notes (${c.notes.length})`);
      for (const n of c.notes) io.out(`  ${new Date(n.createdAt).toISOString().slice(0, 16).replace('T', ' ')}  ${n.author}${n.pending ? ' (pending: not on the team server yet)' : ''}${n.notSaved ? ` (${n.notSaved})` : ''}: ${n.body.replace(/\s+/g, ' ').slice(0, 200)}`);
      io.out(`dunning: ${open.length ? open.map((d) => `${d.stage} ${formatMoney(d.amountAtRisk, d.currency)} at risk`).join('; ') : 'no open case'}`);
    } finally {
      await services.close();
    }
  },
};
