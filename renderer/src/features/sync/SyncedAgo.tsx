import { format, formatDistanceToNowStrict } from 'date-fns';

/** "just now" for the first seconds (not "0 seconds ago"), else relative; exact time on hover. */
export function SyncedAgo({ atMs }: { atMs: number }) {
  const date = new Date(atMs);
  const text = Date.now() - atMs < 10_000 ? 'just now' : formatDistanceToNowStrict(date, { addSuffix: true });
  return (
    <time dateTime={date.toISOString()} title={format(date, 'PPpp')}>
      {text}
    </time>
  );
}
