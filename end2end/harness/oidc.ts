// The OpenID provider of the run (harness/oidc-provider.mjs, the `oidc-provider` package on
// 127.0.0.1) and the BERTH_OIDC_* settings that point berth-server at it. Two Berth providers:
// `test` (client `berth`, groups mapped to roles) and `wrongaud` (a client whose ID tokens the
// provider signs for another audience: Berth must refuse them).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Child, describeExit, startChild, tail } from './berth';

export const OIDC_PROVIDER = 'test';
export const OIDC_WRONG_AUDIENCE_PROVIDER = 'wrongaud';
export const OIDC_LABEL = 'Test IdP';

const START_TIMEOUT_MS = 20_000;

export interface OidcProvider {
  child: Child;
  issuer: string;
  /** The variables berth-server needs for both providers. */
  env: Record<string, string>;
}

export async function startOidcProvider(baseUrl: string, logDir: string): Promise<OidcProvider> {
  const secret = randomBytes(24).toString('base64url');
  const callback = (id: string) => `${baseUrl}/auth/oidc/${id}/callback`;
  const clients = [
    { client_id: 'berth', client_secret: secret, redirect_uris: [callback(OIDC_PROVIDER)] },
    {
      client_id: 'berth-wrongaud',
      client_secret: secret,
      redirect_uris: [callback(OIDC_WRONG_AUDIENCE_PROVIDER)],
      wrong_audience: true,
    },
  ];
  const logPath = join(logDir, 'oidc-provider.log');
  const child = startChild(
    'oidc-provider',
    process.execPath,
    [join(__dirname, 'oidc-provider.mjs')],
    { ...process.env, OIDC_CLIENTS: JSON.stringify(clients), OIDC_PORT: '0' },
    logPath,
  );
  const deadline = Date.now() + START_TIMEOUT_MS;
  let issuer: string | undefined;
  while (!issuer) {
    if (child.exit) throw new Error(`${describeExit(child)} during start-up:\n${tail(logPath)}`);
    if (Date.now() > deadline) throw new Error(`oidc-provider did not start in time:\n${tail(logPath)}`);
    const line = readFileSync(logPath, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('{"issuer"'));
    if (line) issuer = (JSON.parse(line) as { issuer: string }).issuer;
    else await new Promise((r) => setTimeout(r, 100));
  }
  const env = {
    BERTH_OIDC_PROVIDERS: `${OIDC_PROVIDER},${OIDC_WRONG_AUDIENCE_PROVIDER}`,
    BERTH_OIDC_TEST_ISSUER: issuer,
    BERTH_OIDC_TEST_CLIENT_ID: 'berth',
    BERTH_OIDC_TEST_CLIENT_SECRET: secret,
    BERTH_OIDC_TEST_LABEL: OIDC_LABEL,
    BERTH_OIDC_TEST_SCOPES: 'openid profile email groups',
    BERTH_OIDC_TEST_ROLE_MAP: 'berth-admins=admin,berth-ops=operator',
    BERTH_OIDC_WRONGAUD_ISSUER: issuer,
    BERTH_OIDC_WRONGAUD_CLIENT_ID: 'berth-wrongaud',
    BERTH_OIDC_WRONGAUD_CLIENT_SECRET: secret,
    BERTH_OIDC_WRONGAUD_LABEL: 'Misconfigured IdP',
  };
  return { child, issuer, env };
}
