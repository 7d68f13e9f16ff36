import type { IdFactory } from './ids';
import type { TimelineEventPlan } from './plan-types';

// Rows for the `timeline_events` table (what happened to a customer, newest first in the UI).
// Types are Stripe event type names, so rows written later from real events read the same.

export interface DemoTimelineEvent {
  id: string;
  customer_id: string;
  type: string;
  object_id: string | null;
  summary: string;
  created: number;
}

export function timelineRows(ids: IdFactory, customerId: string, events: readonly TimelineEventPlan[]): DemoTimelineEvent[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.created - b.e.created || a.i - b.i)
    .map(({ e }) => ({ id: ids.long('evt'), customer_id: customerId, type: e.type, object_id: e.objectId, summary: e.summary, created: e.created }));
}
