import type { PortalLinkRecord } from '../../../../shared/contract/portal';

// A tiny in-renderer bus so other features can react to portal links without the portal feature
// knowing them: the copilot inserts a link into its reply draft, a customer view refreshes its
// history. Listeners are plain functions; each `on…` returns its unsubscribe.

type Listener = (link: PortalLinkRecord) => void;

const created = new Set<Listener>();
const insertIntoReply = new Set<Listener>();

/** Every link made in this window (button, copilot card, dunning queue). */
export function onPortalLinkCreated(listener: Listener): () => void {
  created.add(listener);
  return () => created.delete(listener);
}

export function emitPortalLinkCreated(link: PortalLinkRecord): void {
  for (const l of created) l(link);
}

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
