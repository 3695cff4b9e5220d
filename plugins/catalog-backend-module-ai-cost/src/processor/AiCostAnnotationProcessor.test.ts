import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessorErrorResult,
  CatalogProcessorResult,
} from '@backstage/plugin-catalog-node';
import { AiCostAnnotationProcessor } from './AiCostAnnotationProcessor';

const location = {
  type: 'url',
  target: 'https://git.example.com/support-assistant/catalog-info.yaml',
};

const ENTITY_REF = 'component:default/support-assistant';

function makeEntity(
  annotations?: Record<string, string>,
  kind = 'Component',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'support-assistant', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'support-ai' },
  };
}

async function process(entity: Entity) {
  const emitted: CatalogProcessorResult[] = [];
  const returned = await new AiCostAnnotationProcessor().postProcessEntity(
    entity,
    location,
    result => emitted.push(result),
  );

  // Other result types show up as their type, so a stray emission fails the
  // message assertions too.
  const messages = emitted.map(result =>
    result.type === 'error' ? result.error.message : `(${result.type})`,
  );

  return { returned, emitted, messages };
}

const PHASE_USAGE = 'use one of poc, pilot, production, scaling';
const OWNER_USAGE =
  'use an entity ref such as "group:default/support-ai" or "user:default/jane"';
const COST_CENTER_USAGE =
  'use 1 to 64 letters, digits, ".", "_", "-" or "/", starting with a letter or digit, such as "CC-4711"';
const BUDGET_USAGE =
  'use "<amount> <currency>/<period>" with period month, quarter, year, such as "2500 USD/month"';
const SELECTOR_USAGE =
  'use comma-separated key=value conditions, such as "service.name=support-assistant"';
const TASK_UNIT_USAGE =
  'use a short name of 1 to 100 characters, such as "resolved ticket"';
const AMOUNT_USAGE =
  'use a non-negative decimal amount with at most 6 decimals and a 3-letter currency code, such as "1.80 EUR"';

const VALID_VALUES: [annotation: string, value: string][] = [
  ['ai-cost.io/phase', 'poc'],
  ['ai-cost.io/phase', 'pilot'],
  ['ai-cost.io/phase', 'Production'],
  ['ai-cost.io/phase', ' scaling '],
  ['ai-cost.io/cost-owner', 'group:default/support-ai'],
  ['ai-cost.io/cost-owner', 'user:default/jane'],
  ['ai-cost.io/cost-owner', 'support-ai'],
  ['ai-cost.io/cost-center', 'CC-4711'],
  ['ai-cost.io/cost-center', 'finance/ai.platform_1'],
  ['ai-cost.io/budget', '2500 USD/month'],
  ['ai-cost.io/budget', '1000.50 EUR/quarter'],
  ['ai-cost.io/budget', '12000 GBP/Year'],
  ['ai-cost.io/usage-selector', 'service.name=support-assistant'],
  [
    'ai-cost.io/usage-selector',
    'service.name=support-assistant, deployment.environment=prod',
  ],
  ['ai-cost.io/task-unit', 'resolved ticket'],
  ['ai-cost.io/task-unit', 'x'.repeat(100)],
  ['ai-cost.io/value-per-task', '1.80 EUR'],
  ['ai-cost.io/value-per-task', '0 USD'],
  ['ai-cost.io/value-per-task', '0.000001 USD'],
];

const INVALID_VALUES: [annotation: string, value: string, message: string][] = [
  [
    'ai-cost.io/phase',
    'beta',
    `Invalid annotation ai-cost.io/phase on ${ENTITY_REF}: "beta" is not a phase; ${PHASE_USAGE}`,
  ],
  [
    'ai-cost.io/phase',
    '',
    `Invalid annotation ai-cost.io/phase on ${ENTITY_REF}: "" is not a phase; ${PHASE_USAGE}`,
  ],
  [
    'ai-cost.io/cost-owner',
    'component:default/billing',
    `Invalid annotation ai-cost.io/cost-owner on ${ENTITY_REF}: "component:default/billing" names a component, not a group or user; ${OWNER_USAGE}`,
  ],
  [
    'ai-cost.io/cost-owner',
    'group:',
    `Invalid annotation ai-cost.io/cost-owner on ${ENTITY_REF}: "group:" is not an entity ref; ${OWNER_USAGE}`,
  ],
  [
    'ai-cost.io/cost-center',
    '-CC',
    `Invalid annotation ai-cost.io/cost-center on ${ENTITY_REF}: "-CC" is not a cost center; ${COST_CENTER_USAGE}`,
  ],
  [
    'ai-cost.io/cost-center',
    'CC 4711',
    `Invalid annotation ai-cost.io/cost-center on ${ENTITY_REF}: "CC 4711" is not a cost center; ${COST_CENTER_USAGE}`,
  ],
  [
    'ai-cost.io/budget',
    'lots USD/month',
    `Invalid annotation ai-cost.io/budget on ${ENTITY_REF}: "lots" is not an amount; ${BUDGET_USAGE}`,
  ],
  [
    'ai-cost.io/budget',
    '2500 USD',
    `Invalid annotation ai-cost.io/budget on ${ENTITY_REF}: "2500 USD" has no period; ${BUDGET_USAGE}`,
  ],
  [
    'ai-cost.io/budget',
    '2500 USD/week',
    `Invalid annotation ai-cost.io/budget on ${ENTITY_REF}: "week" is not a period; ${BUDGET_USAGE}`,
  ],
  [
    'ai-cost.io/budget',
    '2500 usd/month',
    `Invalid annotation ai-cost.io/budget on ${ENTITY_REF}: "usd" is not a currency; ${BUDGET_USAGE}`,
  ],
  [
    'ai-cost.io/usage-selector',
    'support-assistant',
    `Invalid annotation ai-cost.io/usage-selector on ${ENTITY_REF}: "support-assistant" is not a key=value condition; ${SELECTOR_USAGE}`,
  ],
  [
    'ai-cost.io/usage-selector',
    'service.name=',
    `Invalid annotation ai-cost.io/usage-selector on ${ENTITY_REF}: "service.name=" is not a key=value condition; ${SELECTOR_USAGE}`,
  ],
  [
    'ai-cost.io/usage-selector',
    'service.name=support-assistant,',
    `Invalid annotation ai-cost.io/usage-selector on ${ENTITY_REF}: "" is not a key=value condition; ${SELECTOR_USAGE}`,
  ],
  [
    'ai-cost.io/task-unit',
    '   ',
    `Invalid annotation ai-cost.io/task-unit on ${ENTITY_REF}: "   " is not a task unit; ${TASK_UNIT_USAGE}`,
  ],
  [
    'ai-cost.io/task-unit',
    'x'.repeat(101),
    `Invalid annotation ai-cost.io/task-unit on ${ENTITY_REF}: "${'x'.repeat(
      101,
    )}" is not a task unit; ${TASK_UNIT_USAGE}`,
  ],
  [
    'ai-cost.io/value-per-task',
    '1.80',
    `Invalid annotation ai-cost.io/value-per-task on ${ENTITY_REF}: "1.80" has no currency; ${AMOUNT_USAGE}`,
  ],
  [
    'ai-cost.io/value-per-task',
    '-1 EUR',
    `Invalid annotation ai-cost.io/value-per-task on ${ENTITY_REF}: "-1" is not an amount; ${AMOUNT_USAGE}`,
  ],
  [
    'ai-cost.io/value-per-task',
    '0.0000001 USD',
    `Invalid annotation ai-cost.io/value-per-task on ${ENTITY_REF}: "0.0000001" is not an amount; ${AMOUNT_USAGE}`,
  ],
  [
    'ai-cost.io/value-per-task',
    '1.80 euro',
    `Invalid annotation ai-cost.io/value-per-task on ${ENTITY_REF}: "euro" is not a currency; ${AMOUNT_USAGE}`,
  ],
];

describe('AiCostAnnotationProcessor', () => {
  it('has a processor name', () => {
    expect(new AiCostAnnotationProcessor().getProcessorName()).toBe(
      'AiCostAnnotationProcessor',
    );
  });

  it.each(VALID_VALUES)('accepts %s: %j', async (annotation, value) => {
    const { messages } = await process(makeEntity({ [annotation]: value }));

    expect(messages).toEqual([]);
  });

  it.each(INVALID_VALUES)(
    'rejects %s: %j',
    async (annotation, value, message) => {
      const { messages } = await process(makeEntity({ [annotation]: value }));

      expect(messages).toEqual([message]);
    },
  );

  it('emits an input error at the entity location', async () => {
    const { emitted } = await process(
      makeEntity({ 'ai-cost.io/phase': 'beta' }),
    );

    expect(emitted).toEqual([
      { type: 'error', location, error: expect.any(Error) },
    ]);
    expect((emitted[0] as CatalogProcessorErrorResult).error.name).toBe(
      'InputError',
    );
  });

  it('rejects an unknown key under the prefix', async () => {
    const { messages } = await process(
      makeEntity({ 'ai-cost.io/phaze': 'pilot' }),
    );

    expect(messages).toEqual([
      `Unknown annotation ai-cost.io/phaze on ${ENTITY_REF}. Use one of ai-cost.io/phase, ai-cost.io/cost-owner, ai-cost.io/cost-center, ai-cost.io/budget, ai-cost.io/usage-selector, ai-cost.io/task-unit, ai-cost.io/value-per-task`,
    ]);
  });

  it('emits one error per bad annotation', async () => {
    const { messages } = await process(
      makeEntity({
        'ai-cost.io/phase': 'beta',
        'ai-cost.io/budget': '2500 USD/week',
        'ai-cost.io/cost-center': 'CC-4711',
        'ai-cost.io/phaze': 'pilot',
      }),
    );

    expect(messages).toEqual([
      `Unknown annotation ai-cost.io/phaze on ${ENTITY_REF}. Use one of ai-cost.io/phase, ai-cost.io/cost-owner, ai-cost.io/cost-center, ai-cost.io/budget, ai-cost.io/usage-selector, ai-cost.io/task-unit, ai-cost.io/value-per-task`,
      `Invalid annotation ai-cost.io/phase on ${ENTITY_REF}: "beta" is not a phase; ${PHASE_USAGE}`,
      `Invalid annotation ai-cost.io/budget on ${ENTITY_REF}: "week" is not a period; ${BUDGET_USAGE}`,
    ]);
  });

  it('returns the entity unchanged', async () => {
    const entity = makeEntity({ 'ai-cost.io/phase': 'beta' });
    const copy = JSON.parse(JSON.stringify(entity));

    const { returned } = await process(entity);

    expect(returned).toBe(entity);
    expect(returned).toEqual(copy);
  });

  it('ignores an entity without annotations', async () => {
    const { emitted } = await process(makeEntity());

    expect(emitted).toEqual([]);
  });

  it('ignores annotations outside the prefix', async () => {
    const { emitted } = await process(
      makeEntity({
        'backstage.io/techdocs-ref': 'dir:.',
        'ai-cost.io.example/phase': 'beta',
      }),
    );

    expect(emitted).toEqual([]);
  });

  it.each(['Resource', 'AiResource', 'airesource'])(
    'checks kind %s',
    async kind => {
      const { messages } = await process(
        makeEntity({ 'ai-cost.io/phase': 'beta' }, kind),
      );

      expect(messages).toEqual([
        `Invalid annotation ai-cost.io/phase on ${kind.toLowerCase()}:default/support-assistant: "beta" is not a phase; ${PHASE_USAGE}`,
      ]);
    },
  );

  it.each(['API', 'System', 'Group'])('ignores kind %s', async kind => {
    const { emitted } = await process(
      makeEntity({ 'ai-cost.io/phase': 'beta' }, kind),
    );

    expect(emitted).toEqual([]);
  });
});
