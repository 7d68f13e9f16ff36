import type { RouteModule } from '../router';
import { accountRoutes } from './account';
import { billingPortalRoutes } from './billing-portal';
import { customerRoutes } from './customers';
import { eventRoutes } from './events';
import { invoicePaymentRoutes } from './invoice-payments';
import { invoiceRoutes } from './invoices';
import { paymentMethodRoutes } from './payment-methods';
import { paymentRoutes } from './payments';
import { productRoutes } from './products';
import { subscriptionRoutes } from './subscriptions';

// Every resource family of the test server, one module each. To add endpoints (billing portal,
// refunds…), write routes/<family>.ts exporting a RouteModule and add ONE line here.
export const ROUTE_MODULES: RouteModule[] = [
  accountRoutes,
  customerRoutes,
  paymentMethodRoutes,
  productRoutes,
  subscriptionRoutes,
  invoiceRoutes,
  invoicePaymentRoutes,
  paymentRoutes,
  eventRoutes,
  billingPortalRoutes,
];
