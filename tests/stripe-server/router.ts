import type { FaultController } from './faults';
import type { FormObject } from './form';
import type { StripeStore } from './store';

/** What a route handler gets: the store, path params (`:id`), and the parsed query or form body. */
export interface RouteRequest {
  store: StripeStore;
  method: string;
  path: string;
  pathParams: Record<string, string>;
  /** Query (GET/DELETE) or form body (POST), nested like Stripe's encoding; `expand` removed. */
  params: FormObject;
  faults: FaultController;
  idempotencyKey: string | null;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** e.g. /v1/customers/:id/payment_methods */
  path: string;
  /** Returns the response body (an API object or list); throw StripeApiError for errors. */
  handle(req: RouteRequest): unknown;
}

/** One resource family (customers, invoices, billing_portal…): routes/index.ts lists them all. */
export interface RouteModule {
  name: string;
  routes: Route[];
}

interface CompiledRoute {
  route: Route;
  segments: string[];
}

export class Router {
  private readonly compiled: CompiledRoute[] = [];

  constructor(modules: RouteModule[]) {
    const seen = new Set<string>();
    for (const m of modules) {
      for (const r of m.routes) {
        const key = `${r.method} ${r.path}`;
        if (seen.has(key)) throw new Error(`stripe-server: route ${key} registered twice (module ${m.name})`);
        seen.add(key);
        this.compiled.push({ route: r, segments: r.path.split('/').filter(Boolean) });
      }
    }
    // Literal segments win over parameters (/v1/customers/search before /v1/customers/:id).
    this.compiled.sort((a, b) => literalScore(b.segments) - literalScore(a.segments));
  }

  match(method: string, path: string): { route: Route; pathParams: Record<string, string> } | null {
    const parts = path.split('/').filter(Boolean);
    for (const c of this.compiled) {
      if (c.route.method !== method || c.segments.length !== parts.length) continue;
      const pathParams: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = c.segments[i];
        if (seg.startsWith(':')) pathParams[seg.slice(1)] = decodeURIComponent(parts[i]);
        else if (seg !== parts[i]) {
          ok = false;
          break;
        }
      }
      if (ok) return { route: c.route, pathParams };
    }
    return null;
  }
}

function literalScore(segments: string[]): number {
  return segments.reduce((s, seg, i) => s + (seg.startsWith(':') ? 0 : 1 << (10 - i)), 0);
}
