import { paginate, parseCreatedFilter } from '../list';
import { allowOnly, arr, str } from '../params';
import type { RouteModule } from '../router';

/** `type` accepts a trailing wildcard like Stripe (`invoice.*`). */
function typeMatcher(types: string[]): (t: string) => boolean {
  const exact = new Set(types.filter((t) => !t.endsWith('*')));
  const prefixes = types.filter((t) => t.endsWith('*')).map((t) => t.slice(0, -1));
  return (t) => exact.has(t) || prefixes.some((p) => t.startsWith(p));
}

export const eventRoutes: RouteModule = {
  name: 'events',
  routes: [
    {
      method: 'GET',
      path: '/v1/events',
      handle: ({ store, params }) => {
        allowOnly(params, ['type', 'types', 'delivery_success'], { list: true });
        store.pruneEvents();
        const one = str(params, 'type');
        const many = arr(params, 'types')?.map(String);
        const types = one ? [one] : many;
        const match = types ? typeMatcher(types) : null;
        return paginate(store.collection('event'), params, {
          url: '/v1/events',
          kind: 'event',
          created: parseCreatedFilter(params.created),
          filter: match ? (e) => match(e.type) : undefined,
        });
      },
    },
    {
      method: 'GET',
      path: '/v1/events/:id',
      handle: ({ store, pathParams }) => {
        store.pruneEvents();
        return store.require('event', pathParams.id, 'event');
      },
    },
  ],
};
