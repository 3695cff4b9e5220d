import { aiCostPermissions } from '@ai-cost/plugin-ai-cost-common';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readAiCostConfig } from './config';
import { DatabaseUsageStore } from './database/DatabaseUsageStore';
import { seedDemoBilling } from './demo/seedDemoBilling';
import { seedDemoUsage } from './demo/seedDemoUsage';
import { EntityResolver } from './ingest/EntityResolver';
import { UsageIngestor } from './ingest/UsageIngestor';
import { DatabasePriceStore } from './database/DatabasePriceStore';
import { PricingService } from './pricing/PricingService';
import { readPriceSources } from './pricing/loaders/readPriceSources';
import { schedulePriceSources } from './pricing/loaders/schedulePriceSources';
import { createPricingRouter } from './service/pricingRouter';
import { createBillingRouter } from './service/billingRouter';
import { readBillingConfig } from './billing/billingConfig';
import { DatabaseBillingStore } from './billing/DatabaseBillingStore';
import { createRouter } from './service/router';
import { createOtlpRouter } from './service/otlpRouter';
import { readOtlpConfig } from './otlp/config';
import { scheduleRetention } from './retention/pruneUsageRecords';

/**
 * Backend plugin of the AI cost product: usage import, pricing, storage
 * and the REST API under `/api/ai-cost`.
 *
 * @public
 */
export const aiCostPlugin = createBackendPlugin({
  pluginId: 'ai-cost',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.rootLifecycle,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { logger, catalog } = deps;
        const config = readAiCostConfig(deps.config);
        const priceSources = readPriceSources(deps.config);
        const store = await DatabaseUsageStore.create({
          database: deps.database,
        });
        // The usage store has run the migrations of the shared database.
        const priceStore = await DatabasePriceStore.create({
          database: deps.database,
          skipMigrations: true,
        });
        const pricingLogger = logger.child({ subsystem: 'pricing' });
        const pricing = new PricingService({
          store: priceStore,
          config,
          logger: pricingLogger,
        });
        await pricing.syncConfiguredSources();
        await schedulePriceSources({
          scheduler: deps.scheduler,
          pricing,
          sources: priceSources,
          logger: logger.child({ subsystem: 'price-sources' }),
        });

        const ingestLogger = logger.child({ subsystem: 'ingest' });
        const resolver = new EntityResolver(catalog, deps.auth, ingestLogger);
        const ingestor = new UsageIngestor({
          store,
          resolveEntity: attributes => resolver.resolve(attributes),
          getPriceBook: () => pricing.getPriceBook(),
          providerCostTolerancePercent: config.providerCostTolerancePercent,
          retentionDays: config.rawRecordRetentionDays,
        });
        if (config.rawRecordRetentionDays !== undefined) {
          await scheduleRetention({
            scheduler: deps.scheduler,
            store,
            retentionDays: config.rawRecordRetentionDays,
            logger: ingestLogger,
          });
        }

        const billingStore = await DatabaseBillingStore.create({
          database: deps.database,
          skipMigrations: true,
        });
        const billingConfig = readBillingConfig(deps.config);
        const otlpConfig = readOtlpConfig(deps.config);

        deps.permissionsRegistry.addPermissions(aiCostPermissions);
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        // Mounted first: it streams CSV bodies that the main router would
        // otherwise read into memory.
        deps.httpRouter.use(
          await createBillingRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            catalog,
            store: billingStore,
            config: billingConfig,
            getEstimated: (fromMonth, toMonth) =>
              store.sumByEntityMonth(fromMonth, toMonth),
            usageStore: store,
            logger: logger.child({ subsystem: 'billing' }),
            retryAfterSeconds: otlpConfig.retryAfterSeconds,
          }),
        );
        // Mounted first: the REST router's JSON parser would consume
        // OTLP/JSON bodies, and this router parses its own.
        deps.httpRouter.use(
          createOtlpRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            ingestor,
            logger: logger.child({ subsystem: 'otlp' }),
            ...otlpConfig,
          }),
        );
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            catalog,
            store,
            priceStore,
            ingestor,
            currency: config.currency,
            azureTrace: config.azureTrace,
            logger: ingestLogger,
            retryAfterSeconds: otlpConfig.retryAfterSeconds,
          }),
        );
        deps.httpRouter.use(
          await createPricingRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            usageStore: store,
            priceStore,
            pricing,
            reportingCurrency: config.currency,
            providerCostTolerancePercent: config.providerCostTolerancePercent,
            logger: pricingLogger,
          }),
        );

        if (config.demo.enabled) {
          const demoLogger = logger.child({ subsystem: 'demo' });
          // Seeding runs after start-up, so the backend serves requests at once.
          deps.lifecycle.addStartupHook(() => {
            seedDemoUsage({
              store,
              ingestor,
              days: config.demo.days,
              logger: demoLogger,
            })
              .then(stored =>
                stored > 0
                  ? seedDemoBilling({
                      usageStore: store,
                      billingStore,
                      config: billingConfig,
                      now: new Date(),
                      days: config.demo.days,
                      logger: demoLogger,
                    })
                  : 0,
              )
              .catch(error =>
                demoLogger.error('Demo data could not be stored', error),
              );
          });
        }
      },
    });
  },
});
