import type { CopilotConfirmResult } from '../../shared/contract/copilot';
import type { RetryOutcome } from '../../shared/contract/dunning';
import type { ServiceContext } from './core/context';
import { InFlight } from './core/in-flight';
import { VecExtension } from './copilot/kb/vectors';
import type { CustomerRefresher } from './customers/refresh';
import { QueueSnapshots } from './dunning/queue-snapshot';
import { BulkWrites } from './sync/bulk-writes';
import { AccountStripeClients } from './sync/clients';
import { Connectivity } from './sync/connectivity';
import { SyncManager } from './sync/manager';
import { refreshCustomer } from './sync/refresh';
import type { TeamDesk } from './team/team-desk';

// Every long-lived object of one set of services, built here and held on its context
// (`ctx.registries`), so what lives as long as the services is listed in one place and closing
// the services closes it (closeRegistries). Nothing is kept in a module-level map keyed by a
// context or a connection: two sets of services in one process (the team server builds one per
// account; tests build many) share nothing. (db/statements.ts keeps its prepared statements per
// connection: they belong to the connection and die with it.)

export interface ServiceRegistries {
  /** The syncs of the workspace's accounts and the watch of the current one. */
  sync: SyncManager;
  /** The paced Stripe client of each account: one rate budget per account for everything that calls Stripe. */
  stripeClients: AccountStripeClients;
  /** Whether Stripe answers, per account, from what the paced clients see. */
  connectivity: Connectivity;
  /** The open dunning queue in memory, per account (filters and sorts without a SQL scan). */
  queueSnapshots: QueueSnapshots;
  /** The cache connection's write settings while backfills run. */
  bulkWrites: BulkWrites;
  /** sqlite-vec in the cache connection (knowledge-base vectors). */
  vectors: VecExtension;
  /** Payment retries running, by idempotency key: a double click shares one request. */
  paymentRetries: InFlight<RetryOutcome>;
  /** Copilot confirmations running, by proposal id: a double click confirms once. */
  copilotConfirmations: InFlight<CopilotConfirmResult>;
  /** "Refresh from Stripe" on a customer: the sync's fetch through the account's paced client. */
  refreshCustomer: CustomerRefresher;
  /** In team mode, the desk's link to the team server (replica, outbox); null on a solo desk. Set when it starts. */
  teamDesk: TeamDesk | null;
}

/** A context from its parts (cache connection, options, hub, ...) with its registries built on it. */
export function createServiceContext(parts: Omit<ServiceContext, 'registries'>): ServiceContext {
  // Completed on the next line: the registries' objects need the context they belong to.
  const ctx = { ...parts } as ServiceContext;
  ctx.registries = createRegistries(ctx);
  return ctx;
}

/**
 * The registries of a context. The objects keep `ctx` and use it only when called (a sync engine
 * reaches the paced client through `ctx.registries`), so they are built on the context they serve.
 */
export function createRegistries(ctx: ServiceContext): ServiceRegistries {
  const connectivity = new Connectivity(ctx);
  return {
    sync: new SyncManager(ctx),
    stripeClients: new AccountStripeClients(ctx, connectivity),
    connectivity,
    queueSnapshots: new QueueSnapshots(ctx.db),
    bulkWrites: new BulkWrites(ctx.db),
    vectors: new VecExtension(ctx.db),
    paymentRetries: new InFlight(),
    copilotConfirmations: new InFlight(),
    refreshCustomer,
    teamDesk: null,
  };
}

/** Stops the syncs (their passes end), then the paced clients (requests still waiting are refused). */
export async function closeRegistries(registries: ServiceRegistries): Promise<void> {
  await registries.sync.close();
  registries.stripeClients.close();
}
