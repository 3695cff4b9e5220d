import { APIRequestContext, expect, test } from '@playwright/test';

const BACKEND = 'http://127.0.0.1:7007';
const INGEST_TOKEN =
  process.env.AI_COST_INGEST_TOKEN ?? 'local-ai-cost-ingest-token';
const ENTITY = 'component/default/support-assistant';

// A zone away from UTC (+09:00, no daylight saving time), so that local
// days differ from UTC days for part of each day. Chromium reports some
// zones by an older alias (Asia/Kolkata as Asia/Calcutta); this one has none.
const TIME_ZONE = 'Asia/Tokyo';

interface EntityCost {
  currency: string;
  timeZone: string;
  monthToDate: { cost: string; requests: number };
}

interface Allocation {
  currencies: Array<{ currency: string; coveragePercent: string | null }>;
}

interface EntityReconciliation {
  months: Array<{
    month: string;
    currency: string;
    estimatedCost: string;
    billedCost: string;
  }>;
}

async function getJson<T>(
  request: APIRequestContext,
  path: string,
  query: Record<string, string>,
): Promise<T> {
  const response = await request.get(`${BACKEND}/api/ai-cost${path}`, {
    headers: { authorization: `Bearer ${INGEST_TOKEN}` },
    params: query,
  });
  expect(response.status()).toBe(200);
  return response.json();
}

function fetchEntityCost(
  request: APIRequestContext,
  timeZone: string,
): Promise<EntityCost> {
  return getJson(request, `/entities/${ENTITY}/cost`, { timeZone });
}

/** Returns whether a decimal string such as `0.000` or `-1.5` is zero. */
function isZero(amount: string): boolean {
  return /^-?0*(\.0*)?$/.test(amount);
}

function fetchReconciliation(
  request: APIRequestContext,
  months: Record<string, string>,
): Promise<EntityReconciliation> {
  return getJson(request, `/entities/${ENTITY}/reconciliation`, months);
}

async function countBilledMonths(
  request: APIRequestContext,
  months: Record<string, string>,
): Promise<number> {
  const { months: rows } = await fetchReconciliation(request, months);
  return rows.filter(row => !isZero(row.billedCost)).length;
}

test.use({ timezoneId: TIME_ZONE });

test('AI Cost tab shows the API figures', async ({ page, request }) => {
  await page.goto('/');
  const timeZone = await page.evaluate(
    () => new Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  expect(timeZone).toBe(TIME_ZONE);

  // The demo generator stores usage right after the backend starts and
  // then a FOCUS export for the months before the current one, so billed
  // months mean that all demo data is stored.
  await expect
    .poll(async () => countBilledMonths(request, {}), { timeout: 120_000 })
    .toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Enter' }).click();

  // Navigate inside the app: a reload would show the sign-in page again.
  await page
    .getByRole('link', { name: 'support-assistant', exact: true })
    .click();
  const allocationRequest = page.waitForRequest(sent =>
    sent.url().includes('/api/ai-cost/allocation?'),
  );
  await page.getByText('AI Cost', { exact: true }).click();

  // Month to date, in the browser's time zone.
  const monthToDate = page.getByTestId('ai-cost-month-to-date');
  await expect(monthToDate).toBeVisible();
  await expect(page.getByText('gpt-4o').first()).toBeVisible();
  await expect(page.getByText(`(days in ${timeZone})`).first()).toBeVisible();

  const expected = await fetchEntityCost(request, timeZone);
  expect(expected.timeZone).toBe(timeZone);
  const amount = await monthToDate.getAttribute('data-amount');
  expect(amount).toBe(expected.monthToDate.cost);

  const displayedText = await monthToDate.innerText();
  // A string argument is formatted as an exact decimal, without a float.
  const formatted = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: expected.currency,
  }).format(expected.monthToDate.cost as Intl.StringNumericLiteral);
  expect(displayedText).toContain(formatted);

  // Allocation coverage of the months that the tab requested.
  const allocationUrl = new URL((await allocationRequest).url());
  const months = {
    from: allocationUrl.searchParams.get('from') ?? '',
    to: allocationUrl.searchParams.get('to') ?? '',
  };
  expect(months.from).toMatch(/^\d{4}-\d{2}$/);
  expect(months.to).toMatch(/^\d{4}-\d{2}$/);

  const allocation = await getJson<Allocation>(request, '/allocation', months);
  const usd = allocation.currencies.find(item => item.currency === 'USD');
  expect(usd?.coveragePercent).toMatch(/^\d+\.\d{2}$/);

  const coverage = page
    .locator('[data-testid="ai-cost-allocation"][data-currency="USD"]')
    .getByTestId('ai-cost-allocation-coverage');
  await expect(coverage).toHaveText(`${usd?.coveragePercent}%`);
  await expect(coverage).toHaveAttribute(
    'data-percent',
    usd?.coveragePercent ?? '',
  );

  // Estimated vs billed: one row per month and currency of the API.
  const reconciliation = await fetchReconciliation(request, months);
  expect(reconciliation.months.length).toBeGreaterThan(0);

  const table = page.getByTestId('ai-cost-reconciliation');
  await expect(table).toBeVisible();
  for (const row of reconciliation.months) {
    const tableRow = table
      .getByRole('row')
      .filter({ hasText: row.month })
      .filter({ hasText: row.currency });
    await expect(tableRow).toHaveCount(1);
    await expect(
      tableRow.locator(`[data-amount="${row.estimatedCost}"]`).first(),
    ).toBeVisible();
    await expect(
      tableRow.locator(`[data-amount="${row.billedCost}"]`).first(),
    ).toBeVisible();
  }

  await page.screenshot({
    path: 'docs/screenshots/ai-cost-tab.png',
    fullPage: true,
  });
});
