import {
  normalizeProvider,
  snapshotFamily,
  splitProviderPrefix,
} from './modelNames';

describe('normalizeProvider', () => {
  it.each([
    ['azure.ai.openai', 'azure'],
    ['azure_openai', 'azure'],
    ['azure.ai.inference', 'azure_ai'],
    ['aws.bedrock', 'bedrock'],
    ['gcp.vertex_ai', 'vertex_ai'],
    ['gcp.gemini', 'gemini'],
    ['openai.responses', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['gcp.vertex.agent', 'gemini'],
    ['mistral_ai', 'mistral'],
    ['x_ai', 'xai'],
    [' OpenAI ', 'openai'],
    ['anthropic', 'anthropic'],
  ])('maps %j to %s', (provider, expected) => {
    expect(normalizeProvider(provider)).toBe(expected);
  });
});

describe('splitProviderPrefix', () => {
  it.each([
    ['azure/gpt-4o', { provider: 'azure', model: 'gpt-4o' }],
    [
      'openrouter/openai/gpt-4o',
      { provider: 'openrouter', model: 'openai/gpt-4o' },
    ],
    [
      'Bedrock/amazon.nova-lite',
      { provider: 'bedrock', model: 'amazon.nova-lite' },
    ],
    ['gpt-4o', undefined],
    ['/gpt-4o', undefined],
    ['my-team/gpt-4o', undefined],
  ])('splits %s', (model, expected) => {
    expect(splitProviderPrefix(model)).toEqual(expected);
  });
});

describe('snapshotFamily', () => {
  it.each([
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['gpt-4o', undefined],
    ['gpt-4o-latest', undefined],
    ['o1-2024', undefined],
  ])('returns family of %s', (model, expected) => {
    expect(snapshotFamily(model)).toBe(expected);
  });
});
