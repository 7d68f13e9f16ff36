import type { PaymentMethodView } from '../../../../../shared/contract/customers';
import { CopyId } from '../../../ui/format';
import { EmptyState } from '../../../ui/states';

function expiry(pm: PaymentMethodView): string | null {
  if (pm.expMonth == null || pm.expYear == null) return null;
  return `${String(pm.expMonth).padStart(2, '0')}/${String(pm.expYear).slice(-2)}`;
}

/** Cards and other methods on file: brand, last 4, expiry (flagged when soon or past), the default. */
export function PaymentMethodsSection({ paymentMethods }: { paymentMethods: PaymentMethodView[] }) {
  return (
    <section className="section" aria-labelledby="c360-pm-h" data-testid="c360-payment-methods">
      <h2 id="c360-pm-h">Payment methods</h2>
      {paymentMethods.length === 0 ? (
        <EmptyState title="No payment method on file." hint="Send a portal link (P) so the customer can add a card." />
      ) : (
        <ul className="payment-methods">
          {paymentMethods.map((pm) => {
            const exp = expiry(pm);
            return (
              <li key={pm.id} className="payment-method" data-testid="c360-payment-method">
                <span className="pm-brand">{pm.brand ? pm.brand.toUpperCase() : pm.type.replace(/_/g, ' ')}</span>
                {pm.last4 && <span className="pm-last4">•••• {pm.last4}</span>}
                {exp && <span className="muted">exp {exp}</span>}
                {pm.isDefault && <span className="badge info">Default</span>}
                {pm.expired && (
                  <span className="badge danger" title="Payments on this card will fail: ask for a new card">
                    Expired
                  </span>
                )}
                {!pm.expired && pm.expiringSoon && (
                  <span className="badge warn" title="Expires this month or next: ask the customer to update it before renewals fail">
                    Expiring soon
                  </span>
                )}
                <span className="spacer" />
                <CopyId id={pm.id} />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
