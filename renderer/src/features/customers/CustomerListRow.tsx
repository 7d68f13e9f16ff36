import type { CustomerListRow, SearchHit } from '../../../../shared/contract/customers';
import { When } from '../../ui/format';

/** A row of the list: a page row from customers.list, or a search hit when the filter has text. */
export type ListRow = CustomerListRow | SearchHit;

export function CustomerListRowView({ row, index, isCursor, onOpen, onHover }: { row: ListRow; index: number; isCursor: boolean; onOpen: (id: string) => void; onHover: (index: number) => void }) {
  const summary = 'subscriptionSummary' in row ? row.subscriptionSummary : null;
  return (
    <tr
      className={`customer-row${isCursor ? ' cursor' : ''}`}
      aria-rowindex={index + 2}
      aria-current={isCursor ? true : undefined}
      onClick={() => onOpen(row.id)}
      onMouseMove={() => !isCursor && onHover(index)}
      data-customer-id={row.id}
    >
      <td>
        <button type="button" className="link-button" onClick={(e) => (e.stopPropagation(), onOpen(row.id))}>
          {row.name || 'No name'}
        </button>
      </td>
      <td>{row.email ?? <span className="muted">—</span>}</td>
      <td>
        <code className="muted">{row.id}</code>
      </td>
      <td>
        {row.delinquent && <span className="badge danger">Delinquent</span>} {summary && <span className="muted">{summary}</span>}
      </td>
      <td>
        <When at={row.created} />
      </td>
    </tr>
  );
}
