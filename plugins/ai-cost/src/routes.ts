import { createRouteRef } from '@backstage/core-plugin-api';

/** Route of the AI cost tab on an entity page. */
export const rootRouteRef = createRouteRef({
  id: 'ai-cost',
});
