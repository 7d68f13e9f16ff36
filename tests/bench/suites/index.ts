import type { BenchSuite } from '../run';

// One line per suite: `name: (ctx) => import('./name').then((m) => m.default(ctx)),`
export const SUITES: Record<string, BenchSuite> = {
  demo: (ctx) => import('./demo').then((m) => m.default(ctx)),
  dunning: (ctx) => import('./dunning').then((m) => m.default(ctx)),
  search: (ctx) => import('./search').then((m) => m.default(ctx)),
  'search-keystroke': (ctx) => import('./search-keystroke').then((m) => m.default(ctx)),
  sync: (ctx) => import('./sync').then((m) => m.default(ctx)),
  'team-server': (ctx) => import('./team-server').then((m) => m.default(ctx)),
};
