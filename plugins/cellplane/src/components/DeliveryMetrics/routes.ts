import { createRouteRef } from '@backstage/frontend-plugin-api';

/**
 * The organisation's delivery page, `/cellplane/delivery`: delivery (DORA) metrics of a whole
 * namespace per environment.
 *
 * @public
 */
export const deliveryRouteRef = createRouteRef();
