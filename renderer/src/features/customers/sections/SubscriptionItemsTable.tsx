import type { SubscriptionItemView } from '../../../../../shared/contract/customers';
import { Money, When } from '../../../ui/format';
import { intervalWords } from '../labels';

/** The items of one subscription: product, price per interval, quantity and each item's current period. */
export function SubscriptionItemsTable({ items }: { items: SubscriptionItemView[] }) {
  return (
    <table className="dense subscription-items">
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col" className="num">
            Price
          </th>
          <th scope="col" className="num">
            Qty
          </th>
          <th scope="col">Current period</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.id}>
            <td>
              {i.productName ?? <code>{i.id}</code>} {i.priceNickname && <span className="muted">· {i.priceNickname}</span>}
            </td>
            <td className="num">
              <Money amount={i.unitAmount} currency={i.currency} /> <span className="muted">/ {intervalWords(i.interval, i.intervalCount)}</span>
            </td>
            <td className="num">{i.quantity}</td>
            <td>
              {i.currentPeriodStart && i.currentPeriodEnd ? (
                <>
                  <When at={i.currentPeriodStart} /> → <When at={i.currentPeriodEnd} />
                </>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
