import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { dataPath, GENAI_PRICES_DATA } from './__testUtils__/dataDir';
import { loadPriceSource } from './loadPriceSource';

const SHEET = JSON.stringify({
  'gpt-4o': {
    litellm_provider: 'openai',
    input_cost_per_token: 2.5e-6,
    output_cost_per_token: 1e-5,
  },
});

describe('loadPriceSource', () => {
  let server: Server;
  let baseUrl: string;
  let folder: string;

  beforeAll(async () => {
    const genaiData = readFileSync(dataPath(GENAI_PRICES_DATA));
    server = createServer((request, response) => {
      if (request.url === '/genai-prices.json') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(genaiData);
      } else if (request.url === '/litellm.json') {
        response.end(SHEET);
      } else if (request.url === '/chunked-large.json') {
        // No Content-Length: the limit must hold while streaming.
        response.write(' '.repeat(600));
        response.end(SHEET);
      } else if (request.url === '/slow.json') {
        setTimeout(() => response.end(SHEET), 2_000);
      } else if (request.url === '/not-json') {
        response.end('<html></html>');
      } else {
        response.writeHead(404);
        response.end();
      }
    });
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    folder = await mkdtemp(join(tmpdir(), 'price-source-'));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
    await rm(folder, { recursive: true, force: true });
  });

  it('loads a file', async () => {
    const file = join(folder, 'litellm.json');
    await writeFile(file, SHEET);

    const loaded = await loadPriceSource({
      format: 'litellm',
      file,
      effectiveFrom: '2026-07-24',
    });

    expect(loaded.prices).toEqual([
      {
        provider: 'openai',
        model: 'gpt-4o',
        effectiveFrom: '2026-07-24',
        currency: 'USD',
        source: `LiteLLM sheet ${file}, entry gpt-4o`,
        input: '2.5',
        output: '10',
      },
    ]);
  });

  it('loads the genai-prices data from a URL', async () => {
    const loaded = await loadPriceSource({
      format: 'genai-prices',
      url: `${baseUrl}/genai-prices.json`,
    });

    expect(loaded.prices).toHaveLength(2188);
  });

  it('rejects a body above the size limit', async () => {
    await expect(
      loadPriceSource(
        { format: 'litellm', url: `${baseUrl}/litellm.json` },
        { maxBytes: 10 },
      ),
    ).rejects.toThrow(/larger than the maximum of 10 bytes/);
  });

  it('rejects a streamed body above the size limit', async () => {
    await expect(
      loadPriceSource(
        { format: 'litellm', url: `${baseUrl}/chunked-large.json` },
        { maxBytes: 500 },
      ),
    ).rejects.toThrow(/larger than the maximum of 500 bytes/);
  });

  it('rejects a file above the size limit', async () => {
    const file = join(folder, 'large.json');
    await writeFile(file, SHEET);

    await expect(
      loadPriceSource({ format: 'litellm', file }, { maxBytes: 10 }),
    ).rejects.toThrow(/more than the maximum of 10/);
  });

  it('times out a slow server', async () => {
    await expect(
      loadPriceSource(
        { format: 'litellm', url: `${baseUrl}/slow.json` },
        { timeoutMs: 200 },
      ),
    ).rejects.toThrow(/timed out after 200 ms/);
  });

  it('reports an HTTP error status', async () => {
    await expect(
      loadPriceSource({ format: 'litellm', url: `${baseUrl}/missing.json` }),
    ).rejects.toThrow(/failed; caused by Error: HTTP 404/);
  });

  it('rejects a body that is not JSON', async () => {
    await expect(
      loadPriceSource({ format: 'litellm', url: `${baseUrl}/not-json` }),
    ).rejects.toThrow(/not JSON/);
  });

  it('rejects a missing file', async () => {
    await expect(
      loadPriceSource({ format: 'litellm', file: join(folder, 'none.json') }),
    ).rejects.toThrow(/Reading price sheet .*none\.json failed/);
  });

  it('rejects a scheme other than http', async () => {
    await expect(
      loadPriceSource({ format: 'litellm', url: 'file:///etc/hosts' }),
    ).rejects.toThrow(/use an http or https URL/);
  });

  it('rejects both file and url', async () => {
    await expect(
      loadPriceSource({
        format: 'litellm',
        file: 'a.json',
        url: `${baseUrl}/litellm.json`,
      }),
    ).rejects.toThrow(/exactly one of file and url/);
  });
});
