import { Entity } from '@backstage/catalog-model';
import { aiCostPlugin, isAiCostAvailable } from './plugin';

function entityWith(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'support-assistant', annotations },
  };
}

describe('aiCostPlugin', () => {
  it('has the backend plugin id', () => {
    expect(aiCostPlugin.getId()).toBe('ai-cost');
  });
});

describe('isAiCostAvailable', () => {
  it('accepts an entity with an ai-cost.io annotation', () => {
    expect(isAiCostAvailable(entityWith({ 'ai-cost.io/phase': 'poc' }))).toBe(
      true,
    );
  });

  it('accepts an entity whose annotation is invalid', () => {
    expect(isAiCostAvailable(entityWith({ 'ai-cost.io/phase': 'beta' }))).toBe(
      true,
    );
  });

  it('rejects an entity without ai-cost.io annotations', () => {
    expect(
      isAiCostAvailable(entityWith({ 'backstage.io/techdocs-ref': 'dir:.' })),
    ).toBe(false);
  });
});
