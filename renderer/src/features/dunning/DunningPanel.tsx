import { DUNNING_STAGES, isOpenDunningStage } from '../../../../shared/contract/dunning';
import { errorMessage } from '../../api/client';
import { useCall } from '../../api/queries';
import { useApp } from '../../app/store';
import { Money, When } from '../../ui/format';
import { ErrorState } from '../../ui/states';
import { CATEGORY_BADGE, CATEGORY_HINTS, CATEGORY_LABELS, STAGE_BADGE, STAGE_LABELS } from './labels';
import { RetryPaymentButton } from './RetryDialog';
import './dunning.css';

/**
 * A customer's dunning cases (open first, then the recent closed ones), each with "Retry payment".
 * For the customer view: `<DunningPanel customerId={id} />`. Renders nothing when the customer has
 * never been in dunning.
 */
export function DunningPanel({ customerId }: { customerId: string }) {
  const navigate = useApp((s) => s.navigate);
  const query = useCall('dunning.list', { filters: { customerId, stages: [...DUNNING_STAGES] }, sort: { by: 'age', dir: 'asc' }, limit: 20 });
  const error = query.error ? errorMessage(query.error) : null;
  const load = () => void query.refetch();
  const rows = query.data?.rows;
  const cases = rows ? [...rows.filter((c) => isOpenDunningStage(c.stage)), ...rows.filter((c) => !isOpenDunningStage(c.stage))] : null;

  if (error) return <ErrorState message={`Could not load the dunning cases: ${error}`} onRetry={() => void load()} />;
  if (!cases || cases.length === 0) return null;
  return (
    <section className="section dunning-customer-panel" aria-label="Dunning">
      <h2>
        Dunning{' '}
        <button type="button" className="dunning-link" onClick={() => navigate('dunning')}>
          open the queue
        </button>
      </h2>
      <ul>
        {cases.map((c) => {
          const open = isOpenDunningStage(c.stage);
          return (
            <li key={c.id} className="dunning-customer-case">
              <Money amount={c.amountAtRisk} currency={c.currency} /> <span className={STAGE_BADGE[c.stage]}>{STAGE_LABELS[c.stage]}</span>{' '}
              <span className={CATEGORY_BADGE[c.category]} title={CATEGORY_HINTS[c.category]}>
                {CATEGORY_LABELS[c.category]}
              </span>{' '}
              {c.declineCode && <code className="muted">{c.declineCode}</code>} <span className="muted">· {c.attemptCount} attempt{c.attemptCount === 1 ? '' : 's'} · since <When at={c.openedAt} /></span>
              {c.assignee && <span className="muted"> · {c.assignee}</span>}
              {open && c.invoiceId && (
                <span className="dunning-customer-retry">
                  <RetryPaymentButton caseId={c.id} compact />
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
