import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** Rules of the FOCUS import: which rows count and how they map. */
export interface BillingConfig {
  /** ServiceCategory values whose rows count as AI cost. */
  serviceCategories: string[];
  /** ServiceName values whose rows count as AI cost, whatever their category. */
  serviceNames: string[];
  /** Tag keys whose value is an entity ref; the first present key wins. */
  entityTags: string[];
}

/** The FOCUS 1.0–1.2 ServiceCategory value of AI services. */
export const AI_SERVICE_CATEGORY = 'AI and Machine Learning';

/** Rules used when `aiCost.billing` sets nothing. */
export const DEFAULT_BILLING_CONFIG: BillingConfig = {
  serviceCategories: [AI_SERVICE_CATEGORY],
  serviceNames: [],
  entityTags: ['backstage-entity', 'ai-cost-entity'],
};

/** Reads `aiCost.billing` of app-config, with defaults. */
export function readBillingConfig(config: Config): BillingConfig {
  const billing = config.getOptionalConfig('aiCost.billing');
  const list = (key: keyof BillingConfig) => {
    const values =
      billing?.getOptionalStringArray(key) ?? DEFAULT_BILLING_CONFIG[key];
    const blank = values.findIndex(value => value.trim() === '');
    if (blank >= 0) {
      throw new InputError(
        `Invalid aiCost.billing.${key}[${blank}]: the value is empty; remove it or write a name`,
      );
    }
    return values;
  };

  return {
    serviceCategories: list('serviceCategories'),
    serviceNames: list('serviceNames'),
    entityTags: list('entityTags'),
  };
}
