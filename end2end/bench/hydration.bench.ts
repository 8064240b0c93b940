// Hydration time in headless Chromium: each page is loaded RUNS times, every time in a fresh
// browser context (an empty HTTP cache, nothing compiled), and read back from the Performance
// API: the navigation's response start and DOMContentLoaded, the main WASM module's fetch, and
// the `berth-hydrated` mark the hydrate entry point (frontend/src/lib.rs) sets once hydration,
// lazy routes included, has completed. Printed as p50/p95; never asserted.
import { loadavg } from 'node:os';
import { type Browser, test } from '@playwright/test';
import { ADMIN_STORAGE_STATE } from '../harness/users';

const PAGES = ['/', '/containers', '/templates'];
const RUNS = Number(process.env.BERTH_BENCH_HYDRATION_RUNS ?? '10');
const MARK = 'berth-hydrated';

/** Milliseconds from navigation start (the Performance API's time origin). */
interface Load {
  responseStart: number;
  domContentLoaded: number;
  /** The main module's last byte. */
  wasmLoaded: number;
  /** The main module's request, start to last byte (a duration). */
  wasmFetch: number;
  hydrated: number;
  /** WASM files fetched by the load (the main module and the page's lazy chunks). */
  wasmFiles: number;
}

const measured = new Map<string, Load[]>();

async function coldLoad(browser: Browser, baseURL: string, path: string): Promise<Load> {
  const context = await browser.newContext({ baseURL, storageState: ADMIN_STORAGE_STATE });
  try {
    const page = await context.newPage();
    await page.goto(path);
    await page
      .waitForFunction((mark) => performance.getEntriesByName(mark, 'mark').length > 0, MARK, { timeout: 30_000 })
      .catch(() => {
        throw new Error(`${path}: no \`${MARK}\` performance mark within 30 s (is the site built from this tree?)`);
      });
    return await page.evaluate((mark) => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const wasm = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) =>
        new URL(r.name).pathname.endsWith('.wasm'),
      );
      const main = wasm.find((r) => new URL(r.name).pathname.endsWith('/berth.wasm'));
      return {
        responseStart: navigation.responseStart,
        domContentLoaded: navigation.domContentLoadedEventEnd,
        wasmLoaded: main ? main.responseEnd : Number.NaN,
        wasmFetch: main ? main.responseEnd - main.startTime : Number.NaN,
        hydrated: performance.getEntriesByName(mark, 'mark')[0]?.startTime ?? Number.NaN,
        wasmFiles: wasm.length,
      };
    }, MARK);
  } finally {
    await context.close();
  }
}

for (const path of PAGES) {
  test(`hydration of ${path}`, async ({ browser, baseURL }) => {
    if (!baseURL) throw new Error('no baseURL: run the bench with `cargo xtask bench`');
    // One load first, not counted: the server's first render of a page warms its caches.
    await coldLoad(browser, baseURL, path);
    const loads: Load[] = [];
    for (let i = 0; i < RUNS; i++) loads.push(await coldLoad(browser, baseURL, path));
    measured.set(path, loads);
  });
}

/** The q-quantile (nearest rank) of the values. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

test.afterAll(() => {
  const cell = (loads: Load[], key: keyof Load) =>
    `${quantile(loads.map((l) => l[key]), 0.5).toFixed(0)} / ${quantile(loads.map((l) => l[key]), 0.95).toFixed(0)} ms`.padStart(17);
  const lines = [
    `hydration in headless Chromium: ${RUNS} cold loads per page (a fresh context each), signed in as the admin;`,
    `  p50 / p95 from navigation start, except the fetch of berth.wasm (its own duration); load average ${loadavg()[0]?.toFixed(2)}`,
    '  | page        | response start    | DOMContentLoaded  | berth.wasm loaded | berth.wasm fetch  | berth-hydrated    | wasm files |',
  ];
  for (const [path, loads] of measured) {
    lines.push(
      `  | ${path.padEnd(11)} | ${cell(loads, 'responseStart')} | ${cell(loads, 'domContentLoaded')} | ` +
        `${cell(loads, 'wasmLoaded')} | ${cell(loads, 'wasmFetch')} | ${cell(loads, 'hydrated')} | ${String(loads[0]?.wasmFiles ?? 0).padStart(10)} |`,
    );
  }
  console.log(lines.join('\n'));
});
