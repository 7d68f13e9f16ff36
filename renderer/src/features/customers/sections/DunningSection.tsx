import type { Customer360 } from '../../../../../shared/contract/customers';
import { DunningPanel } from '../../dunning/DunningPanel';

/**
 * The dunning feature's own panel (cases, stage, retry) when the customer has ever been in dunning;
 * otherwise one line that says so, so the agent knows the section was checked and is not missing.
 */
export function DunningSection({ customer }: { customer: Customer360 }) {
  if (customer.dunning.length > 0) return <DunningPanel customerId={customer.id} />;
  return (
    <section className="section" aria-labelledby="c360-dunning-h" data-testid="c360-dunning">
      <h2 id="c360-dunning-h">Dunning</h2>
      <p className="muted">Not in dunning: no failed payment is being chased for this customer.</p>
    </section>
  );
}
