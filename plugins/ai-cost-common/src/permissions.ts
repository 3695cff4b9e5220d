import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the cost figures of one catalog entity.
 *
 * @public
 */
export const aiCostEntityReadPermission = createPermission({
  name: 'ai-cost.entity.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Send usage records to the ingestion endpoints.
 *
 * @public
 */
export const aiCostUsageCreatePermission = createPermission({
  name: 'ai-cost.usage.create',
  attributes: { action: 'create' },
});

/**
 * Change the price catalog, negotiated overrides and exchange rates, read
 * the audit log, and reprice stored usage.
 *
 * @public
 */
export const aiCostPricesManagePermission = createPermission({
  name: 'ai-cost.prices.manage',
  attributes: { action: 'update' },
});

/**
 * Read portfolio figures across all entities: allocation coverage and the
 * reconciliation of estimated with billed cost.
 *
 * @public
 */
export const aiCostPortfolioReadPermission = createPermission({
  name: 'ai-cost.portfolio.read',
  attributes: { action: 'read' },
});

/**
 * All permissions of the AI cost plugins.
 *
 * @public
 */
export const aiCostPermissions = [
  aiCostEntityReadPermission,
  aiCostUsageCreatePermission,
  aiCostPricesManagePermission,
  aiCostPortfolioReadPermission,
];
