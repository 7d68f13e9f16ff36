import type { PortalLinkRecord } from '../../../../shared/contract/portal';

// A tiny in-renderer bus so the copilot can take a portal link into its reply draft without the
// portal feature knowing it. (Views showing link history need no event: creating a link
// invalidates their cached reads.) Listeners are plain functions; each `on…` returns its unsubscribe.

type Listener = (link: PortalLinkRecord) => void;

const insertIntoReply = new Set<Listener>();

/**
 * The agent asked to put a link into the reply being written. The copilot's draft registers
 * here; while nobody listens, the "Insert into reply" button is not shown.
 */
export function onInsertPortalLinkIntoReply(listener: Listener): () => void {
  insertIntoReply.add(listener);
  return () => insertIntoReply.delete(listener);
}

export function canInsertIntoReply(): boolean {
  return insertIntoReply.size > 0;
}

export function insertPortalLinkIntoReply(link: PortalLinkRecord): void {
  for (const l of insertIntoReply) l(link);
}
