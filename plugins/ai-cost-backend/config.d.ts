export interface Config {
  /** Settings of the AI cost plugins. */
  aiCost?: {
    /**
     * ISO 4217 code of the reporting currency. Prices in another currency
     * leave their requests unpriced. Default: USD.
     */
    currency?: string;

    /**
     * List prices loaded into the price table at start-up. A price with the
     * same provider, model and effectiveFrom as a stored one replaces it.
     */
    prices?: Array<{
      /** Provider as usage records name it, such as openai, azure, anthropic. */
      provider: string;
      /** Model name as usage records name it, such as gpt-4o. */
      model: string;
      /** ISO 8601 date or instant (UTC) from which the price applies. */
      effectiveFrom: string;
      /** ISO 8601 date or instant (UTC) from which it no longer applies. */
      effectiveTo?: string;
      /** ISO 4217 code. */
      currency: string;
      /** Price of one million uncached input tokens, as a decimal string. */
      input: string;
      /** Price of one million cached input tokens; default: the input price. */
      cachedInput?: string;
      /** Price of one million output tokens, as a decimal string. */
      output: string;
      /** Where the price was read, such as a vendor page and date. */
      source?: string;
    }>;

    /** Demo usage generated at start-up for the example components. */
    demo?: {
      /** Generate demo usage when the usage table is empty. Default: false. */
      enabled?: boolean;
      /** Number of days up to today to fill. Default: 90. */
      days?: number;
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
