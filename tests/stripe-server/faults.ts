import type { PaymentError } from './shapes';
import { seededRandom } from '../helpers/seeded-random';

// Fault injection: 429 (rate limited, no Stripe-Should-Retry), lock_timeout (429 with code
// lock_timeout and Stripe-Should-Retry: true: another request holds the object), 500 (api_error), timeout (the
// request is never answered), reset (the connection is dropped), slow (answered after delayMs) and
// decline (applies to POST /v1/invoices/:id/pay only). Rules are drawn from a seeded generator so
// a failing test can be replayed.

export type FaultKind = '429' | 'lock_timeout' | '500' | 'timeout' | 'reset' | 'slow' | 'decline';

export interface FaultRule {
  kind: FaultKind;
  /** Probability per matching request (default 1). */
  rate?: number;
  /** Only requests whose path (without query) matches. */
  path?: RegExp;
  method?: string;
  /** Stop after this many hits. */
  count?: number;
  /** slow: extra latency; timeout: how long to hold before dropping (default: until the client gives up). */
  delayMs?: number;
  declineCode?: string;
  adviceCode?: string;
}

export interface ActiveFault {
  rule: FaultRule;
  hits: number;
  remove(): void;
}


const PAY_PATH = /^\/v1\/invoices\/[^/]+\/pay$/;

export class FaultController {
  private readonly active: ActiveFault[] = [];
  private readonly random: () => number;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  inject(rule: FaultRule): ActiveFault {
    if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) throw new Error(`inject: rate must be within 0..1, got ${rule.rate}`);
    const fault: ActiveFault = { rule, hits: 0, remove: () => this.removeFault(fault) };
    this.active.push(fault);
    return fault;
  }

  clear(): void {
    this.active.length = 0;
  }

  private removeFault(f: ActiveFault): void {
    const i = this.active.indexOf(f);
    if (i >= 0) this.active.splice(i, 1);
  }

  private matches(f: ActiveFault, method: string, path: string): boolean {
    const r = f.rule;
    if (r.count !== undefined && f.hits >= r.count) return false;
    if (r.method && r.method.toUpperCase() !== method) return false;
    if (r.path && !r.path.test(path)) return false;
    return r.rate === undefined || r.rate >= 1 || this.random() < r.rate;
  }

  /** The transport fault to apply to this request, if any (decline rules are not transport faults). */
  takeTransportFault(method: string, path: string): FaultRule | null {
    for (const f of this.active) {
      if (f.rule.kind === 'decline') continue;
      if (this.matches(f, method, path)) {
        f.hits++;
        return f.rule;
      }
    }
    return null;
  }

  /** A decline to force on this pay request, if a decline rule fires. */
  takeDecline(method: string, path: string): PaymentError | null {
    if (method !== 'POST' || !PAY_PATH.test(path)) return null;
    for (const f of this.active) {
      if (f.rule.kind !== 'decline') continue;
      if (this.matches(f, method, path)) {
        f.hits++;
        return { declineCode: f.rule.declineCode ?? 'generic_decline', adviceCode: f.rule.adviceCode ?? null };
      }
    }
    return null;
  }
}
