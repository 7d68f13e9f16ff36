import { errorMessage } from '../../api/client';
import { useCall } from '../../api/queries';

// The customer's name for the panel's heading and the confirmation words. The draft itself is
// grounded by the services; this is only what the agent reads (the cached customers.get answer,
// shared with the customer view).

export function useCustomerName(customerId: string): { name: string | null; error: string | null } {
  const customer = useCall('customers.get', { customerId });
  const c = customer.data;
  return { name: c ? c.name || c.email || customerId : null, error: customer.error ? errorMessage(customer.error) : null };
}
