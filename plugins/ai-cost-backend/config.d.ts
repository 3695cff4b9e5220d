import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Settings of the AI cost plugins. */
  aiCost?: {
    /** Raw usage records; hourly rollups are always kept. */
    retention?: {
      /**
       * Days for which raw usage records are kept; a daily task deletes
       * older ones. Records older than this are rejected at import, because
       * their duplicates could no longer be detected. Default: keep all.
       */
      rawRecordDays?: number;
    };

    /**
     * ISO 4217 code of the reporting currency. Prices in another currency
     * leave their requests unpriced. Default: USD.
     */
    currency?: string;

    /**
     * Load the curated default price catalog of the plugin. Default: true.
     */
    curatedCatalog?: boolean;

    /**
     * List prices written to the price catalog at start-up, above the
     * curated catalog and loaded sheets. Prices are decimal strings per
     * million tokens (`request` and `webSearch`: per unit). A changed price
     * becomes a new price version; records keep the version they used.
     */
    prices?: Array<
      PriceRatesConfig & {
        /** Provider as usage records name it, such as openai or anthropic. */
        provider: string;
        /** Model name as usage records name it, such as gpt-4o. */
        model: string;
        /** ISO 8601 date or instant (UTC) from which the price applies. */
        effectiveFrom: string;
        /** ISO 8601 date or instant (UTC) from which it no longer applies. */
        effectiveTo?: string;
        /** ISO 4217 code. */
        currency: string;
        /** Batch API prices. */
        batch?: PriceRatesConfig;
        /** Flex service tier prices. */
        flex?: PriceRatesConfig;
        /** Priority service tier prices. */
        priority?: PriceRatesConfig;
        /** The vendor prices the model dynamically; see docs/pricing.md. */
        dynamic?: boolean;
        /** Source of the price, such as a vendor page and the date it was read. */
        source?: string;
      }
    >;

    /**
     * Public price sheets loaded at start-up and every `refresh`, one per
     * format. See docs/pricing.md.
     */
    priceSources?: Array<{
      /** Unique name: letters, digits, - and _; names the scheduled task. */
      name: string;
      /** `litellm` (model_prices_and_context_window.json) or `genai-prices` (v2 data.json). */
      format: 'litellm' | 'genai-prices';
      /** Path of the sheet; set this or url. */
      file?: string;
      /** http(s) URL of the sheet (30 s timeout, 20 MiB maximum). */
      url?: string;
      /** Time between loads, an ISO 8601 duration such as PT24H. Default: 24 hours. */
      refresh?: string | HumanDuration;
      /** ISO 8601 date from which a LiteLLM sheet's prices apply. Default: 2020-01-01. */
      effectiveFrom?: string;
    }>;

    /**
     * Negotiated rates: a percentage off the list price, or explicit prices,
     * for every model of a provider or for one model.
     */
    overrides?: Array<{
      provider: string;
      /** Omit for every model of the provider. */
      model?: string;
      effectiveFrom: string;
      effectiveTo?: string;
      /** Decimal percentage off the list price, such as "15". */
      discountPercent?: string;
      /** Explicit prices, with their currency. */
      prices?: PriceRatesConfig & { currency: string };
    }>;

    /**
     * Dated exchange rates into the reporting currency: one unit of
     * `currency` costs `rate` units of the reporting currency from `date`.
     */
    exchangeRates?: Array<{ currency: string; date: string; rate: string }>;

    /**
     * Names that stand for a model of the price catalog, such as Azure
     * deployment names and Bedrock inference-profile ARNs.
     */
    modelAliases?: Array<{
      /** Provider the name is used with; omit for any provider. */
      provider?: string;
      name: string;
      targetProvider: string;
      targetModel: string;
    }>;

    /**
     * Largest difference between computed and provider-reported cost, in
     * percent of the reported cost, before a record is flagged. Default: 1.
     */
    providerCostTolerancePercent?: string;

    /** OTLP/HTTP traces receiver at /api/ai-cost/v1/traces; see docs/otlp.md. */
    otlp?: {
      /**
       * Largest request body in bytes after gzip decompression, from 1024
       * to 268435456. Larger requests get 413. Default: 16777216 (16 MiB).
       */
      maxBodyBytes?: number;
      /**
       * Seconds in the Retry-After header of the 503 response sent while
       * the database is unavailable, from 1 to 3600. Default: 5.
       */
      retryAfterSeconds?: number;
    };

    /** Demo usage generated at start-up for the example components. */
    demo?: {
      /** Generate demo usage when the usage table is empty. Default: false. */
      enabled?: boolean;
      /** Number of days up to today to fill. Default: 90. */
      days?: number;
    };

    /** Import of FOCUS cost exports; see docs/billing.md. */
    billing?: {
      /**
       * ServiceCategory values whose rows count as AI cost.
       * Default: ["AI and Machine Learning"].
       */
      serviceCategories?: string[];
      /**
       * ServiceName values whose rows count as AI cost whatever their
       * category, such as "Azure OpenAI" or "Amazon Bedrock". Default: none.
       */
      serviceNames?: string[];
      /**
       * Tag keys whose value is an entity ref, such as
       * component:default/chat, or a bare component name. The first key
       * present in a row wins. Default: ["backstage-entity", "ai-cost-entity"].
       */
      entityTags?: string[];
    };

    /**
     * Mapping of the Azure LLM inference trace files to components:
     * the key is the trace name (`code` or `conv`, from the file name
     * AzureLLMInferenceTrace_<name>.csv).
     */
    azureTrace?: {
      [traceName: string]: {
        /** Entity ref of the component that the trace's requests belong to. */
        entityRef: string;
        provider: string;
        model: string;
      };
    };
  };
}

/** Prices of one service tier, decimal strings per million tokens. */
interface PriceRatesConfig {
  input?: string;
  cachedInput?: string;
  /** Cache writes with a 5-minute or unspecified lifetime. */
  cacheWrite?: string;
  cacheWrite1h?: string;
  inputAudio?: string;
  inputImage?: string;
  output?: string;
  reasoning?: string;
  outputAudio?: string;
  outputImage?: string;
  /** Price of one request, in currency units. */
  request?: string;
  /** Price of one web search, in currency units. */
  webSearch?: string;
  /** Long-context tiers: the whole request at these prices above the threshold. */
  tiers?: Array<PriceRatesConfig & { aboveInputTokens: number }>;
}
