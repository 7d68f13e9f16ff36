import type { Customer360 } from '../../../../../shared/contract/customers';
import { Money, When } from '../../../ui/format';
import { ExternalLink } from '../ExternalLink';
import { useWorkspace } from '../../../app/workspace';

/** Contact details, balance, metadata, and the customer in the Stripe Dashboard. */
export function ProfileSection({ customer }: { customer: Customer360 }) {
  const demo = useWorkspace()?.mode === 'demo';
  const metadata = Object.entries(customer.metadata);
  return (
    <section className="section c360-profile" aria-labelledby="c360-profile-h">
      <h2 id="c360-profile-h">Profile</h2>
      <dl className="facts">
        <dt>Email</dt>
        <dd>{customer.email ?? <span className="muted">none</span>}</dd>
        <dt>Phone</dt>
        <dd>{customer.phone ?? <span className="muted">none</span>}</dd>
        <dt>Customer since</dt>
        <dd>
          <When at={customer.created} />
        </dd>
        <dt>Currency</dt>
        <dd>{customer.currency?.toUpperCase() ?? <span className="muted">not set yet</span>}</dd>
        <dt title="A negative balance is credit the customer has with you">Balance</dt>
        <dd>{customer.balance === 0 ? <span className="muted">none</span> : <Money amount={customer.balance} currency={customer.currency ?? 'usd'} />}</dd>
        {customer.description && (
          <>
            <dt>Description</dt>
            <dd>{customer.description}</dd>
          </>
        )}
        {metadata.map(([key, value]) => (
          <FragmentRow key={key} label={key} value={value} />
        ))}
      </dl>
      <p>
        <ExternalLink href={customer.dashboardUrl}>View in the Stripe Dashboard ({customer.livemode ? 'live' : 'test'} mode)</ExternalLink>
        {demo && <span className="muted"> · demo data: this customer is not in a Stripe account</span>}
      </p>
    </section>
  );
}

function FragmentRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt className="metadata-key">
        <code>{label}</code>
      </dt>
      <dd>{value}</dd>
    </>
  );
}
