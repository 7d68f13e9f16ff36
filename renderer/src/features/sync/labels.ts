import type { SyncStatus } from '../../../../shared/contract/sync';
import type { SyncProgress } from '../../../../shared/contract/streams';

// Sync progress and state in words (pure: tested without a browser).

const RESOURCE_NAMES: Record<string, string> = {
  customers: 'customers',
  subscriptions: 'subscriptions',
  invoices: 'invoices',
  invoice_payments: 'payment attempts',
  payment_methods: 'payment methods',
  events: 'changes',
};

export function resourceName(resource: string | undefined): string | null {
  return resource ? (RESOURCE_NAMES[resource] ?? resource.replace(/_/g, ' ')) : null;
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat().format(n);
}

export function formatEta(seconds: number | null | undefined): string | null {
  if (seconds == null || !Number.isFinite(seconds)) return null;
  if (seconds < 10) return 'a few seconds left';
  if (seconds < 60) return `${Math.round(seconds)} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `about ${h} h ${m} min left` : `about ${h} h left`;
}

/** "1,234 objects · 12 pages · 25 req/s · about 2 min left" */
export function progressParts(p: SyncProgress): string[] {
  const parts = [`${formatCount(p.objects)} ${p.objects === 1 ? 'object' : 'objects'}`];
  if (p.pages) parts.push(`${formatCount(p.pages)} ${p.pages === 1 ? 'page' : 'pages'}`);
  parts.push(`${p.requestsPerSecond} req/s`);
  const eta = formatEta(p.etaSeconds);
  if (eta) parts.push(eta);
  return parts;
}

export type SyncView =
  | { kind: 'demo' }
  | { kind: 'loading' }
  | { kind: 'backfill'; progress: SyncProgress }
  | { kind: 'offline'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'never' }
  | { kind: 'synced'; at: number };

/** What to show for the current account, from the status call and the live progress. */
export function syncView(isDemo: boolean, status: SyncStatus | null, progress: SyncProgress | null): SyncView {
  if (isDemo) return { kind: 'demo' };
  if (!status) return { kind: 'loading' };
  const p = progress ?? status.progress;
  if (p?.phase === 'backfill') return { kind: 'backfill', progress: p };
  if (p?.phase === 'offline') return { kind: 'offline', message: p.message ?? status.lastError ?? 'Stripe could not be reached.' };
  if (p?.phase === 'error') return { kind: 'error', message: p.message ?? status.lastError ?? 'The sync failed.' };
  if (status.lastError) return /could not be reached|network/i.test(status.lastError) ? { kind: 'offline', message: status.lastError } : { kind: 'error', message: status.lastError };
  if (status.lastSyncedAt == null) return { kind: 'never' };
  return { kind: 'synced', at: status.lastSyncedAt };
}
