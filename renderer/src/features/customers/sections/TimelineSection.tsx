import type { TimelineEntry } from '../../../../../shared/contract/customers';
import { When } from '../../../ui/format';
import { EmptyState } from '../../../ui/states';
import { ShowMore } from '../ShowMore';
import { usePaged } from '../usePaged';

const PAGE = 15;

/** What happened to this customer, newest first, in words (from Stripe's events). */
export function TimelineSection({ timeline }: { timeline: TimelineEntry[] }) {
  const { shown, hidden, showMore } = usePaged(timeline, PAGE);
  return (
    <section className="section" aria-labelledby="c360-timeline-h" data-testid="c360-timeline">
      <h2 id="c360-timeline-h">Timeline</h2>
      {timeline.length === 0 ? (
        <EmptyState title="No events recorded yet." hint="Events appear here as Stripe reports them (the sync keeps them)." />
      ) : (
        <ol className="timeline">
          {shown.map((t) => (
            <li key={t.id} className="timeline-entry">
              <span className="timeline-when muted">
                <When at={t.created} />
              </span>
              <span className="timeline-summary">{t.summary}</span>
              <code className="muted timeline-type">{t.type}</code>
            </li>
          ))}
        </ol>
      )}
      <ShowMore hidden={hidden} pageSize={PAGE} what="events" onClick={showMore} />
    </section>
  );
}
