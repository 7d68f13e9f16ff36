import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api/client';

// The customer's name for the panel's heading and the confirmation words. The draft itself is
// grounded by the services; this is only what the agent reads.

export function useCustomerName(customerId: string): { name: string | null; error: string | null } {
  const [state, setState] = useState<{ id: string; name: string | null; error: string | null }>({ id: customerId, name: null, error: null });
  useEffect(() => {
    let live = true;
    api.call('customers.get', { customerId }).then(
      (c) => live && setState({ id: customerId, name: c.name || c.email || customerId, error: null }),
      (err) => live && setState({ id: customerId, name: null, error: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [customerId]);
  return state.id === customerId ? { name: state.name, error: state.error } : { name: null, error: null };
}
