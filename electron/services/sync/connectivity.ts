import type { ServiceContext } from '../core/context';

// Whether the console can reach Stripe, from what the account's paced client actually sees: an
// attempt that got no HTTP answer at all (refused, reset, timed out, no route, no DNS) means
// offline, and the account stays offline while the sync backs off between passes (it makes no
// request meanwhile); the first attempt that gets any HTTP answer - even a 429 or a 500, which are
// Stripe answering - means online again. Each change is announced on the 'connectivity' stream
// so the banner says so at once; workspace.status reads the same state (one Connectivity per set of
// services: `ctx.registries.connectivity`). Requests overlap (up to
// the limiter's concurrency): the answer to one sent before a failure says nothing about now, so
// only an attempt sent after the one that set the state may change it.

export interface ConnectivityState {
  online: boolean;
  /** Why offline, in words; null when online. */
  message: string | null;
  sinceMs: number;
}

const OFFLINE_MESSAGE = 'Stripe could not be reached (network). Showing cached data; retrying automatically.';

export class Connectivity {
  private readonly byAccount = new Map<string, ConnectivityState>();
  /** When the attempt that last decided each account's state was sent. */
  private readonly decidedBy = new Map<string, number>();

  constructor(private readonly ctx: Pick<ServiceContext, 'hub'>) {}

  /** Before any request, or for an account nothing was asked of yet: assumed reachable. */
  state(accountId: string): ConnectivityState {
    return this.byAccount.get(accountId) ?? { online: true, message: null, sinceMs: 0 };
  }

  isOnline(accountId: string): boolean {
    return this.state(accountId).online;
  }

  /** One HTTP attempt of the account's client: `status` null with an error is a network failure. */
  observeAttempt(accountId: string, attempt: { status: number | null; error: string | null; startedMs: number }): void {
    if (attempt.status === null && !attempt.error) return;
    if (attempt.startedMs < (this.decidedBy.get(accountId) ?? -Infinity)) return;
    this.decidedBy.set(accountId, attempt.startedMs);
    if (attempt.status !== null) this.set(accountId, true, null);
    else this.set(accountId, false, OFFLINE_MESSAGE);
  }

  private set(accountId: string, online: boolean, message: string | null): void {
    const previous = this.state(accountId);
    if (previous.online === online) return;
    this.byAccount.set(accountId, { online, message, sinceMs: Date.now() });
    this.ctx.hub.emit('connectivity', { accountId, online, message });
  }
}
