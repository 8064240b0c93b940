// The JSON health and readiness endpoints.
import { expect, test } from '../fixtures';

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
