import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readPriceSources } from './readPriceSources';

function read(priceSources: JsonObject[]) {
  return readPriceSources(new ConfigReader({ aiCost: { priceSources } }));
}

describe('readPriceSources', () => {
  it('reads sources with defaults', () => {
    expect(
      read([
        { name: 'litellm', format: 'litellm', file: '/data/litellm.json' },
        {
          name: 'genai',
          format: 'genai-prices',
          url: 'https://example.com/data.json',
          refresh: 'PT6H',
        },
      ]),
    ).toEqual([
      {
        name: 'litellm',
        format: 'litellm',
        file: '/data/litellm.json',
        url: undefined,
        effectiveFrom: undefined,
        refresh: { hours: 24 },
      },
      {
        name: 'genai',
        format: 'genai-prices',
        file: undefined,
        url: 'https://example.com/data.json',
        effectiveFrom: undefined,
        refresh: { hours: 6 },
      },
    ]);
  });

  it('reads a refresh object', () => {
    const [source] = read([
      { name: 'a', format: 'litellm', file: 'a.json', refresh: { days: 1 } },
    ]);

    expect(source.refresh).toEqual({ days: 1 });
  });

  it('returns no sources without config', () => {
    expect(readPriceSources(new ConfigReader({}))).toEqual([]);
  });

  it('rejects an unknown format', () => {
    expect(() => read([{ name: 'a', format: 'csv', file: 'a.csv' }])).toThrow(
      /format "csv" is unknown; use litellm or genai-prices/,
    );
  });

  it('rejects two sources of one format', () => {
    expect(() =>
      read([
        { name: 'a', format: 'litellm', file: 'a.json' },
        { name: 'b', format: 'litellm', file: 'b.json' },
      ]),
    ).toThrow(/source a already loads format litellm/);
  });

  it('rejects a repeated name', () => {
    expect(() =>
      read([
        { name: 'a', format: 'litellm', file: 'a.json' },
        { name: 'a', format: 'genai-prices', file: 'b.json' },
      ]),
    ).toThrow(/the name is used twice/);
  });

  it('rejects neither file nor url', () => {
    expect(() => read([{ name: 'a', format: 'litellm' }])).toThrow(
      /set exactly one of file and url/,
    );
  });

  it('rejects a name with spaces', () => {
    expect(() =>
      read([{ name: 'my sheet', format: 'litellm', file: 'a.json' }]),
    ).toThrow(/name must be letters, digits/);
  });

  it('rejects an invalid refresh', () => {
    expect(() =>
      read([{ name: 'a', format: 'litellm', file: 'a', refresh: 'soon' }]),
    ).toThrow(/refresh is not a duration/);
  });

  it('rejects an invalid effectiveFrom', () => {
    expect(() =>
      read([
        { name: 'a', format: 'litellm', file: 'a', effectiveFrom: 'July' },
      ]),
    ).toThrow(/effectiveFrom "July" is not an ISO 8601 date/);
  });
});
