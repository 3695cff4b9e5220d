import { expect, test } from '@playwright/test';

const BACKEND = 'http://127.0.0.1:7007';
const INGEST_TOKEN =
  process.env.AI_COST_INGEST_TOKEN ?? 'local-ai-cost-ingest-token';
const ENTITY = 'component/default/support-assistant';

interface EntityCost {
  currency: string;
  monthToDate: { cost: string; requests: number };
}

async function fetchEntityCost(
  request: import('@playwright/test').APIRequestContext,
): Promise<EntityCost> {
  const response = await request.get(
    `${BACKEND}/api/ai-cost/entities/${ENTITY}/cost`,
    { headers: { authorization: `Bearer ${INGEST_TOKEN}` } },
  );
  expect(response.status()).toBe(200);
  return response.json();
}

test('month-to-date cost on the AI Cost tab equals the API figure', async ({
  page,
  request,
}) => {
  // The demo generator fills usage right after the backend starts.
  await expect
    .poll(async () => (await fetchEntityCost(request)).monthToDate.requests, {
      timeout: 120_000,
    })
    .toBeGreaterThan(0);

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();

  // Navigate inside the app: a reload would show the sign-in page again.
  await page
    .getByRole('link', { name: 'support-assistant', exact: true })
    .click();
  await page.getByText('AI Cost', { exact: true }).click();

  const monthToDate = page.getByTestId('ai-cost-month-to-date');
  await expect(monthToDate).toBeVisible();
  await expect(page.getByText('gpt-4o').first()).toBeVisible();

  const expected = await fetchEntityCost(request);
  const amount = await monthToDate.getAttribute('data-amount');
  expect(amount).toBe(expected.monthToDate.cost);

  const displayedText = await monthToDate.innerText();
  // A string argument is formatted as an exact decimal, without a float.
  const formatted = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: expected.currency,
  }).format(expected.monthToDate.cost as Intl.StringNumericLiteral);
  expect(displayedText).toContain(formatted);

  await page.screenshot({
    path: 'docs/screenshots/ai-cost-tab.png',
    fullPage: true,
  });
});
