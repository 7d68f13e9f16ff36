import type { PaymentAttemptView } from '../../../../../shared/contract/customers';
import { Money, When } from '../../../ui/format';
import { CATEGORY_BADGE, CATEGORY_HINTS, CATEGORY_LABELS } from '../../dunning/labels';
import { attemptBadge, statusWords } from '../labels';

/** One try at collecting an invoice; a failed one says why in words and what to do next (Stripe's advice). */
export function PaymentAttempt({ attempt: a }: { attempt: PaymentAttemptView }) {
  const code = a.declineCode ?? a.failureCode;
  return (
    <li className="attempt" data-testid="c360-attempt">
      <div className="attempt-head">
        <span className={attemptBadge(a.status)}>{statusWords(a.status)}</span>
        <Money amount={a.amount} currency={a.currency} />
        <When at={a.created} />
        {a.cardLast4 && (
          <span className="muted">
            {a.cardBrand ?? 'card'} •••• {a.cardLast4}
          </span>
        )}
        {code && <code className="muted">{code}</code>}
        {a.category && (
          <span className={CATEGORY_BADGE[a.category]} title={CATEGORY_HINTS[a.category]}>
            {CATEGORY_LABELS[a.category]}
          </span>
        )}
      </div>
      {a.explanation && <p className="attempt-why">{a.explanation}</p>}
      {a.advice && (
        <p className="attempt-advice">
          <strong>Next step:</strong> {a.advice}
        </p>
      )}
      {!a.explanation && a.failureMessage && <p className="attempt-why">{a.failureMessage}</p>}
    </li>
  );
}
