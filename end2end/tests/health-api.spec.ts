// The JSON health and readiness endpoints. `request` carries the admin's session cookie (the
// config's storageState); both endpoints must also answer without one (load balancers, probes).
import { SIGNED_OUT, baseUrl, expect, test } from '../fixtures';

test('GET /api/health reports ok, a version and the uptime', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^application\/json/);
  const body = await res.json();
  expect(body.status).toBe('ok');
  expect(typeof body.version).toBe('string');
  expect(body.version).not.toBe('');
  expect(typeof body.uptime_seconds).toBe('number');
  expect(body.uptime_seconds).toBeGreaterThanOrEqual(0);
});

test('GET /api/ready reports every dependency up', async ({ request }) => {
  const res = await request.get('/api/ready');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^application\/json/);
  const body = await res.json();
  expect(body.status).toBe('ready');
  for (const name of ['postgres', 'redis', 'worker', 'proxmox']) {
    const check = body.checks?.[name];
    expect(check, `checks.${name}`).toBeDefined();
    expect(check.status, `checks.${name}.status`).toBe('up');
    expect(typeof check.latency_ms, `checks.${name}.latency_ms`).toBe('number');
    expect(check.essential, `checks.${name}.essential`).toBe(name !== 'proxmox');
  }
  // The simulator answers GET /version like a PVE 9 node.
  expect(body.checks.proxmox.detail).toMatch(/^PVE \d+\.\d+/);
});

test('GET /api/health and /api/ready are public: they answer without a session cookie', async ({ playwright }) => {
  const anonymous = await playwright.request.newContext({ baseURL: baseUrl(), storageState: SIGNED_OUT });
  try {
    expect((await anonymous.storageState()).cookies, 'this client has no cookies').toEqual([]);
    for (const path of ['/api/health', '/api/ready']) {
      const res = await anonymous.get(path, { maxRedirects: 0 });
      expect(res.status(), `${path} without a cookie`).toBe(200);
      expect(res.headers()['content-type'], path).toMatch(/^application\/json/);
    }
    const ready = await (await anonymous.get('/api/ready')).json();
    expect(ready.status).toBe('ready');
  } finally {
    await anonymous.dispose();
  }
});
