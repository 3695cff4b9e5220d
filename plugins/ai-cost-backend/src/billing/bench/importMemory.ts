/*
 * Measures the memory of a FOCUS import of a generated export.
 *
 *   node --expose-gc --require @backstage/cli-node/config/nodeTransform.cjs \
 *     src/billing/bench/importMemory.ts [megabytes] [aiShare]
 *
 * Streams `megabytes` (default 1024) of distinct FOCUS 1.0 rows of about
 * 600 bytes through importFocusCsv. A share `aiShare` (default 0.1) of them
 * is in the AI category. The store is a stub that keeps nothing, so the
 * numbers show the reader, the validation, the hashing and the occurrence
 * table, not a database. The script prints the resident set size and heap
 * after each tenth of the input, and the peak resident set size sampled at
 * every 64 KiB chunk.
 */
import { BillingStore, StoredBillingRecord } from '../BillingStore';
import { DEFAULT_BILLING_CONFIG } from '../billingConfig';
import { importFocusCsv } from '../importFocus';

const HEADER =
  'BilledCost,BillingAccountId,BillingCurrency,BillingPeriodEnd,BillingPeriodStart,ChargeCategory,ChargeDescription,ChargePeriodEnd,ChargePeriodStart,ConsumedQuantity,ConsumedUnit,EffectiveCost,ProviderName,PublisherName,ResourceId,ServiceCategory,ServiceName,SkuId,Tags';

function row(index: number, aiShare: number): string {
  const ai = index % Math.round(1 / aiShare) === 0;
  const day = String((index % 28) + 1).padStart(2, '0');
  const hour = String(index % 24).padStart(2, '0');
  const cost = `0.${String(index).padStart(11, '0')}`;
  return [
    cost,
    '"1234567890123"',
    '"USD"',
    '"2024-10-01 00:00:00"',
    '"2024-09-01 00:00:00"',
    '"Usage"',
    `"Generated charge ${index}, with a comma and ""quotes"" in the description"`,
    `"2024-09-${day} ${hour}:59:59"`,
    `"2024-09-${day} ${hour}:00:00"`,
    `${index % 1000}.5`,
    ai ? '"1K Tokens"' : '"GB-Hours"',
    cost,
    '"Microsoft"',
    '"Microsoft"',
    `"/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42/resourcegroups/rg-${
      index % 97
    }/providers/microsoft.cognitiveservices/accounts/acct-${index}"`,
    ai ? '"AI and Machine Learning"' : '"Storage"',
    ai ? '"Azure OpenAI"' : '"Storage Accounts"',
    `"SKU-${index % 313}"`,
    `"{""backstage-entity"": ""service-${index % 50}"", ""env"": ""prod""}"`,
  ].join(',');
}

async function* generate(bytes: number, aiShare: number) {
  let sent = 0;
  let index = 0;
  let chunk = `${HEADER}\r\n`;
  while (sent < bytes) {
    chunk += `${row(index++, aiShare)}\r\n`;
    if (chunk.length >= 64 * 1024) {
      sent += chunk.length;
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}

async function main() {
  const megabytes = Number(process.argv[2] ?? 1024);
  const aiShare = Number(process.argv[3] ?? 0.1);
  const bytes = megabytes * 1024 * 1024;
  const store: BillingStore = {
    async insertBillingRecords(records: StoredBillingRecord[]) {
      return { insertedKeys: new Set(records.map(record => record.rowKey)) };
    },
    async sumBilledCost() {
      return [];
    },
    async sumUnmappedBilledCost() {
      return [];
    },
  };

  let peakRss = 0;
  const started = Date.now();
  const mib = (value: number) => (value / 1024 / 1024).toFixed(0);

  let nextReport = bytes / 10;
  let sent = 0;
  async function* measured() {
    for await (const chunk of generate(bytes, aiShare)) {
      sent += chunk.length;
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      if (sent >= nextReport) {
        nextReport += bytes / 10;
        global.gc?.();
        const usage = process.memoryUsage();
        console.log(
          `${mib(sent)} MiB read: rss ${mib(usage.rss)} MiB, heap used ${mib(
            usage.heapUsed,
          )} MiB`,
        );
      }
      yield chunk;
    }
  }

  const result = await importFocusCsv(measured(), {
    store,
    config: DEFAULT_BILLING_CONFIG,
    source: 'generated',
  });

  console.log(
    `${mib(sent)} MiB, ${result.accepted} AI rows stored, ${
      result.skipped
    } skipped, ${result.rejectedCount} rejected in ${(
      (Date.now() - started) /
      1000
    ).toFixed(1)} s; peak rss ${mib(peakRss)} MiB`,
  );
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
