import type { SubscriptionView } from '../../../../../shared/contract/customers';
import { sumByCurrency } from '../../../../../shared/domain/money';
import { CopyId, Money, When } from '../../../ui/format';
import { EmptyState } from '../../../ui/states';
import { statusWords, subscriptionBadge } from '../labels';
import { SubscriptionItemsTable } from './SubscriptionItemsTable';

const LIVE = new Set(['active', 'trialing', 'past_due', 'unpaid', 'paused']);

/** Each subscription: status, items with prices and periods, trial, cancellation, monthly amount. */
export function SubscriptionsSection({ subscriptions }: { subscriptions: SubscriptionView[] }) {
  const live = subscriptions.filter((s) => LIVE.has(s.status));
  const mrr = Object.entries(sumByCurrency(live.map((s) => ({ amount: s.monthlyAmount, currency: s.currency }))));
  return (
    <section className="section" aria-labelledby="c360-subs-h" data-testid="c360-subscriptions">
      <h2 id="c360-subs-h">
        Subscriptions{' '}
        {mrr.length > 0 && (
          <span className="section-aside" title="Monthly recurring amount of the subscriptions that still bill (yearly prices ÷ 12)">
            {mrr.map(([currency, amount], i) => (
              <span key={currency}>
                {i > 0 && ' + '}
                <Money amount={amount} currency={currency} />
              </span>
            ))}{' '}
            / month
          </span>
        )}
      </h2>
      {subscriptions.length === 0 && <EmptyState title="No subscriptions." hint="This customer pays by one-off invoices, or has not subscribed yet." />}
      {subscriptions.map((s) => (
        <article key={s.id} className="subscription" aria-label={`Subscription ${s.id}`}>
          <div className="subscription-head">
            <span className={subscriptionBadge(s.status)}>{statusWords(s.status)}</span>
            <strong>{s.items.map((i) => i.productName ?? i.priceNickname ?? i.id).join(', ') || 'No items'}</strong>
            <span className="muted">
              <Money amount={s.monthlyAmount} currency={s.currency} /> / month
            </span>
            <span className="spacer" />
            <CopyId id={s.id} />
          </div>
          <p className="subscription-facts muted">
            {s.currentPeriodStart && s.currentPeriodEnd && (
              <span>
                Period <When at={s.currentPeriodStart} /> → <When at={s.currentPeriodEnd} />
              </span>
            )}
            {s.trialEnd && (
              <span>
                · Trial {s.trialEnd * 1000 > Date.now() ? 'ends' : 'ended'} <When at={s.trialEnd} />
              </span>
            )}
            {s.cancelAtPeriodEnd && (
              <span className="badge warn" title="The customer keeps access until the period ends; no further invoice">
                Cancels at period end
              </span>
            )}
            {!s.cancelAtPeriodEnd && s.cancelAt && (
              <span>
                · Cancels <When at={s.cancelAt} />
              </span>
            )}
            {s.canceledAt && s.status === 'canceled' && (
              <span>
                · Canceled <When at={s.canceledAt} />
              </span>
            )}
            <span>
              · Started <When at={s.created} />
            </span>
          </p>
          {s.items.length > 0 && <SubscriptionItemsTable items={s.items} />}
        </article>
      ))}
    </section>
  );
}

