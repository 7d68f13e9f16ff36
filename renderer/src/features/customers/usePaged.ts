import { useState } from 'react';

/**
 * The first `pageSize` items, and a way to show the next page: a customer with years of invoices
 * or events renders a page at a time instead of thousands of rows at once.
 */
export function usePaged<T>(items: readonly T[], pageSize: number) {
  const [limit, setLimit] = useState(pageSize);
  return {
    shown: items.slice(0, limit),
    hidden: Math.max(0, items.length - limit),
    showMore: () => setLimit((l) => l + pageSize),
  };
}
