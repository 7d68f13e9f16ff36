import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, seriousA11yViolations, type E2E } from '../helpers/browser';

describe('app shell in the browser (web harness)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('opens the demo workspace with the mode always visible', async () => {
    const banner = e2e.page.getByTestId('mode-banner');
    await expect.poll(() => banner.textContent()).toContain('DEMO');
    expect(await banner.textContent()).toContain('actions are simulated');
    await e2e.screenshot('shell-demo');
  });

  it('keeps the harness token out of the address bar', async () => {
    expect(e2e.page.url()).not.toContain('token=');
  });

  it('has no serious accessibility violations', async () => {
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);
  });
});
