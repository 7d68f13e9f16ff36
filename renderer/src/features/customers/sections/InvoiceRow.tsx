import type { InvoiceView } from '../../../../../shared/contract/customers';
import { CopyId, Money, NextRetry, When } from '../../../ui/format';
import { ExternalLink } from '../ExternalLink';
import { invoiceBadge, statusWords } from '../labels';
import { PaymentAttempt } from './PaymentAttempt';

/** One invoice: number, status, amounts in its own currency, due date, retries, then every attempt. */
export function InvoiceRow({ invoice: inv }: { invoice: InvoiceView }) {
  const unpaid = inv.amountRemaining > 0 && inv.status === 'open';
  return (
    <li className="invoice" data-testid="c360-invoice" aria-label={`Invoice ${inv.number ?? inv.id}`}>
      <div className="invoice-head">
        <span className={invoiceBadge(inv.status)}>{statusWords(inv.status)}</span>
        <strong className="invoice-amount">
          <Money amount={inv.total} currency={inv.currency} />
        </strong>
        <span>{inv.number ?? <span className="muted">no number (draft)</span>}</span>
        <span className="muted">
          created <When at={inv.created} />
        </span>
        <span className="spacer" />
        <CopyId id={inv.id} />
      </div>
      <p className="invoice-facts muted">
        <span>
          Due <Money amount={inv.amountDue} currency={inv.currency} />
        </span>
        <span>
          · Paid <Money amount={inv.amountPaid} currency={inv.currency} />
        </span>
        {inv.amountRemaining > 0 && (
          <span className={unpaid ? 'invoice-remaining' : undefined}>
            · Remaining <Money amount={inv.amountRemaining} currency={inv.currency} />
          </span>
        )}
        {inv.dueDate && (
          <span>
            · Due date <When at={inv.dueDate} />
          </span>
        )}
        <span>
          · {inv.attemptCount} {inv.attemptCount === 1 ? 'attempt' : 'attempts'}
        </span>
        {unpaid && (
          <span>
            · {inv.nextPaymentAttempt ? <>Next retry <NextRetry at={inv.nextPaymentAttempt} /></> : 'No automatic retry planned'}
          </span>
        )}
        {inv.hostedInvoiceUrl && (
          <span>
            · <ExternalLink href={inv.hostedInvoiceUrl}>Hosted invoice</ExternalLink>
          </span>
        )}
      </p>
      {inv.attempts.length > 0 && (
        <ol className="attempts" aria-label={`Payment attempts for ${inv.number ?? inv.id}`}>
          {inv.attempts.map((a) => (
            <PaymentAttempt key={a.id} attempt={a} />
          ))}
        </ol>
      )}
    </li>
  );
}
