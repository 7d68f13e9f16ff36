import { useApp } from '../../app/store';
import { Customer360View } from './Customer360View';
import { CustomerList } from './CustomerList';

/** The Customers pane: the customer list, or the 360 view of the customer opened from search or the list. */
export function CustomersView() {
  const customerId = useApp((s) => s.customerId);
  return customerId ? <Customer360View key={customerId} customerId={customerId} /> : <CustomerList />;
}
