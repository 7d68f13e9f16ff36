import type { RouteModule } from '../router';

export const accountRoutes: RouteModule = {
  name: 'account',
  routes: [{ method: 'GET', path: '/v1/account', handle: ({ store }) => store.accountObject }],
};
