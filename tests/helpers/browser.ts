import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startHarness, type Harness } from '../../electron/harness/server';
import { testServices, type TestServices } from './services';

// End-to-end tests drive Debian's Chromium (playwright-core, no browser download) against the web
// harness, which serves the built renderer (`npm run build:web`) and the real services.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../artifacts/screenshots');
const RENDERER_DIR = path.resolve(import.meta.dirname, '../../dist/renderer');

export interface E2E {
  page: Page;
  context: BrowserContext;
  browser: Browser;
  harness: Harness;
  services: TestServices;
  /** Saves a full-page PNG under artifacts/screenshots/ and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface StartE2EOptions {
  demoCustomers?: number;
  env?: NodeJS.ProcessEnv;
  stripeApiBase?: string;
  skipDemoSeed?: boolean;
  /** Prepare the services (seed rows, settings) before the page loads. */
  prepare?: (services: TestServices) => void | Promise<void>;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

export async function startE2E(options: StartE2EOptions = {}): Promise<E2E> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build:web` (npm test does this first).');
  }
  const services = await testServices({ env: options.env, demoCustomers: options.demoCustomers, stripeApiBase: options.stripeApiBase, skipDemoSeed: options.skipDemoSeed });
  await options.prepare?.(services);
  const harness = await startHarness(services, { staticDir: RENDERER_DIR });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(harness.appUrl);
  return {
    page,
    context,
    browser,
    harness,
    services,
    async screenshot(name) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await harness.close();
      await services.dispose();
      if (pageErrors.length) throw new Error(`uncaught errors in the page: ${pageErrors.join(' | ')}`);
    },
  };
}

/** Runs axe-core on the page; returns serious and critical violations (tests expect none). */
export async function seriousA11yViolations(page: Page): Promise<Array<{ id: string; impact: string | null | undefined; help: string; targets: string[] }>> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

/**
 * Switches the page's theme the way the Appearance setting does (saved choice + root attribute).
 * A string expression, because the tests compile without the DOM library.
 */
export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate(`localStorage.setItem('theme', '${theme}'); document.documentElement.dataset.theme = '${theme}';`);
}
