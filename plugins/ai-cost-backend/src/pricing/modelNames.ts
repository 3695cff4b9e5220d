/**
 * Provider names of the OpenTelemetry GenAI conventions
 * (`gen_ai.provider.name`, `gen_ai.system`) and of common gateways, mapped
 * to the provider ids of the price catalog.
 */
const PROVIDER_ALIASES: Record<string, string> = {
  'azure.ai.openai': 'azure',
  azure_openai: 'azure',
  'azure.ai.inference': 'azure_ai',
  'aws.bedrock': 'bedrock',
  aws: 'bedrock',
  aws_bedrock: 'bedrock',
  'gcp.vertex_ai': 'vertex_ai',
  vertexai: 'vertex_ai',
  'gcp.gemini': 'gemini',
  'gcp.gen_ai': 'gemini',
  google: 'gemini',
  mistral_ai: 'mistral',
  x_ai: 'xai',
  // Provider ids of the Vercel AI SDK, which it writes to gen_ai.system.
  'openai.chat': 'openai',
  'openai.responses': 'openai',
  'openai.completion': 'openai',
  'anthropic.messages': 'anthropic',
  'google.generative-ai': 'gemini',
  'amazon-bedrock': 'bedrock',
  // Google's Agent Development Kit names itself rather than the model API;
  // its default model API is the Gemini API.
  'gcp.vertex.agent': 'gemini',
};

/**
 * Model name prefixes that name the provider, as LiteLLM and gateways
 * write them: `azure/gpt-4o`, `openrouter/openai/gpt-4o`.
 */
const PROVIDER_PREFIXES = new Set([
  'anthropic',
  'azure',
  'azure_ai',
  'bedrock',
  'cohere',
  'deepseek',
  'fireworks_ai',
  'gemini',
  'groq',
  'mistral',
  'openai',
  'openrouter',
  'together_ai',
  'vertex_ai',
  'xai',
]);

const DATED_SUFFIXES = [/-\d{4}-\d{2}-\d{2}$/, /-\d{8}$/];

/** Normalises a provider name to the price catalog's provider id. */
export function normalizeProvider(provider: string): string {
  const name = provider.trim().toLowerCase();
  return PROVIDER_ALIASES[name] ?? name;
}

/**
 * Splits a provider prefix off a model name, such as `azure/gpt-4o` into
 * `azure` and `gpt-4o`; returns undefined for a name without one.
 */
export function splitProviderPrefix(
  model: string,
): { provider: string; model: string } | undefined {
  const slash = model.indexOf('/');
  if (slash <= 0) {
    return undefined;
  }

  const prefix = normalizeProvider(model.slice(0, slash));
  if (!PROVIDER_PREFIXES.has(prefix)) {
    return undefined;
  }
  return { provider: prefix, model: model.slice(slash + 1) };
}

/**
 * Returns the family name of a dated snapshot name, such as `gpt-4o` for
 * `gpt-4o-2024-08-06` or `claude-3-5-haiku` for
 * `claude-3-5-haiku-20241022`, and undefined for other names.
 */
export function snapshotFamily(model: string): string | undefined {
  for (const suffix of DATED_SUFFIXES) {
    if (suffix.test(model)) {
      return model.replace(suffix, '');
    }
  }
  return undefined;
}
