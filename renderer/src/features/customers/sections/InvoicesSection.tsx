import type { InvoiceView } from '../../../../../shared/contract/customers';
import { EmptyState } from '../../../ui/states';
import { ShowMore } from '../ShowMore';
import { usePaged } from '../usePaged';
import { InvoiceRow } from './InvoiceRow';

const PAGE = 10;

/** Invoices, newest first, a page at a time; each with its payment attempts and why they failed. */
export function InvoicesSection({ invoices }: { invoices: InvoiceView[] }) {
  const { shown, hidden, showMore } = usePaged(invoices, PAGE);
  return (
    <section className="section" aria-labelledby="c360-invoices-h" data-testid="c360-invoices">
      <h2 id="c360-invoices-h">
        Invoices <span className="section-aside">{invoices.length}</span>
      </h2>
      {invoices.length === 0 ? (
        <EmptyState title="No invoices yet." hint="Stripe creates the first invoice when a subscription starts or an invoice is sent." />
      ) : (
        <ul className="invoice-list">
          {shown.map((invoice) => (
            <InvoiceRow key={invoice.id} invoice={invoice} />
          ))}
        </ul>
      )}
      <ShowMore hidden={hidden} pageSize={PAGE} what="invoices" onClick={showMore} />
    </section>
  );
}
