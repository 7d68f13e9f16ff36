import { OPEN_DUNNING_STAGES, type DunningFilters } from '../../../shared/contract/dunning';

// The dunning queue's filter, described once. The open queue is filtered in memory (the snapshot,
// queue-snapshot.ts) and queries that include closed cases in SQL (queue-query.ts); both compile
// the conditions below, so what each filter means is written only here and the two compilers
// know fields and operators, never filters.

const DAY = 86_400;

/** Case fields the filter reads. `major` is the amount in major units of the case's own currency;
 * `age` is seconds in dunning (until closing for a closed case); `text` is the customer's email,
 * name and id, the invoice's id and number, the decline code and the assignee. */
export type QueueField = 'stage' | 'category' | 'currency' | 'major' | 'assignee' | 'age' | 'customerId' | 'text';

export type QueueCondition =
  | { field: 'stage' | 'category'; op: 'in'; values: readonly string[] }
  | { field: 'currency' | 'customerId'; op: 'equals'; value: string }
  | { field: 'assignee'; op: 'equalsIgnoringCase'; value: string }
  | { field: 'assignee'; op: 'isNull' }
  | { field: 'major' | 'age'; op: 'atLeast' | 'atMost' | 'below'; value: number }
  | { field: 'text'; op: 'containsIgnoringCase'; value: string };

/** Every condition a case must meet to be in the filtered queue (all of them). */
export function queueConditions(filters: DunningFilters): QueueCondition[] {
  const all: QueueCondition[] = [{ field: 'stage', op: 'in', values: filters.stages ?? OPEN_DUNNING_STAGES }];
  if (filters.categories) all.push({ field: 'category', op: 'in', values: filters.categories });
  if (filters.currency) all.push({ field: 'currency', op: 'equals', value: filters.currency });
  // "Over 100" means $100 or ¥100: bounds compare major units, never minor units across currencies.
  if (filters.amountMin != null) all.push({ field: 'major', op: 'atLeast', value: filters.amountMin });
  if (filters.amountMax != null) all.push({ field: 'major', op: 'atMost', value: filters.amountMax });
  if (filters.assignee === null) all.push({ field: 'assignee', op: 'isNull' });
  else if (filters.assignee !== undefined) all.push({ field: 'assignee', op: 'equalsIgnoringCase', value: filters.assignee });
  if (filters.minAgeDays != null) all.push({ field: 'age', op: 'atLeast', value: filters.minAgeDays * DAY });
  // "At most N days" includes the whole Nth day.
  if (filters.maxAgeDays != null) all.push({ field: 'age', op: 'below', value: (filters.maxAgeDays + 1) * DAY });
  if (filters.customerId) all.push({ field: 'customerId', op: 'equals', value: filters.customerId });
  const text = filters.query?.trim();
  if (text) all.push({ field: 'text', op: 'containsIgnoringCase', value: text });
  return all;
}
