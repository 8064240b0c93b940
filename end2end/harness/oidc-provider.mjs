// A real OpenID provider for tests: `oidc-provider` (a certified implementation) on 127.0.0.1.
//
//   OIDC_CLIENTS='[{"client_id":"berth","client_secret":"…","redirect_uris":["http://…/callback"]}]'
//   OIDC_PORT=0 node harness/oidc-provider.mjs
//
// Prints one line `{"issuer":"http://127.0.0.1:<port>"}` on stdout once it listens, then serves
// until SIGTERM. PKCE (S256) is required. Sign-in is a plain form at /interaction/<uid> with one
// field, `login` (an account name below, no password); consent is granted automatically. A client
// with `"wrong_audience": true` gets ID tokens whose `aud` names another client, properly signed
// with the provider's own key: a relying party must refuse them on the audience alone.
import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

/** The accounts: `sub` is stable, `groups` feeds Berth's role mapping. */
export const ACCOUNTS = {
  alice: { name: 'Alice Admin', email: 'alice@example.test', groups: ['berth-admins', 'staff'] },
  olivia: { name: 'Olivia Operator', email: 'olivia@example.test', groups: ['berth-ops'] },
  victor: { name: 'Victor Viewer', email: 'victor@example.test', groups: ['staff'] },
};
const subject = (login) => `sub-${createHash('sha256').update(login).digest('hex').slice(0, 16)}`;
const loginOf = Object.fromEntries(Object.keys(ACCOUNTS).map((l) => [subject(l), l]));

const clients = JSON.parse(process.env.OIDC_CLIENTS ?? '[]');
if (!Array.isArray(clients) || clients.length === 0) {
  console.error('OIDC_CLIENTS must be a JSON array of {client_id, client_secret, redirect_uris}');
  process.exit(2);
}
const wrongAudience = new Set(clients.filter((c) => c.wrong_audience).map((c) => c.client_id));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

const b64url = (data) => Buffer.from(data).toString('base64url');
function signJwt(payload) {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', kid: 'test-key', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
}

const server = createServer();
await new Promise((ok) => server.listen(Number(process.env.OIDC_PORT ?? 0), '127.0.0.1', ok));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: clients.map(({ client_id, client_secret, redirect_uris }) => ({
    client_id,
    client_secret,
    redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  })),
  jwks: { keys: [signingJwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  // Profile, e-mail and groups claims in the ID token itself (Berth reads only the ID token).
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
    groups: ['groups'],
  },
  scopes: ['openid', 'profile', 'email', 'groups'],
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, sub) {
    const login = loginOf[sub];
    if (!login) return undefined;
    const a = ACCOUNTS[login];
    return {
      accountId: sub,
      async claims() {
        return { sub, name: a.name, preferred_username: login, email: a.email, email_verified: true, groups: a.groups };
      },
    };
  },
  // Consent is implied: every signed-in account grants what the client asks for.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.params.scope ?? 'openid');
    await grant.save();
    return grant;
  },
});

// The misbehaving client: re-sign its ID token with another audience.
provider.use(async (ctx, next) => {
  await next();
  const body = ctx.body;
  const client = ctx.oidc?.client?.clientId;
  if (ctx.path === '/token' && ctx.status === 200 && body?.id_token && wrongAudience.has(client)) {
    const payload = JSON.parse(Buffer.from(body.id_token.split('.')[1], 'base64url').toString());
    ctx.body = { ...body, id_token: signJwt({ ...payload, aud: 'another-client', azp: undefined }) };
  }
});

const page = (title, body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
  `<link rel="icon" href="data:,"></head><body><h1>${title}</h1>${body}</body></html>`;

function loginForm(uid, error) {
  const names = Object.keys(ACCOUNTS).join(', ');
  return page(
    'Test provider sign-in',
    `${error ? `<p role="alert">${error}</p>` : ''}` +
      `<form method="post" action="/interaction/${uid}/login">` +
      `<label for="login">Account</label> <input id="login" name="login" autocomplete="off"> ` +
      `<button type="submit">Continue</button></form><p>Accounts: ${names}</p>`,
  );
}

async function readForm(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(req.url?.split('?')[0] ?? '');
  if (req.url === '/favicon.ico') {
    res.writeHead(204);
    return res.end();
  }
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== match[1]) throw new Error('interaction mismatch');
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(loginForm(details.uid));
    }
    const login = (await readForm(req)).get('login')?.trim() ?? '';
    if (!match[2] || req.method !== 'POST' || !ACCOUNTS[login]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(loginForm(details.uid, 'Unknown account.'));
    }
    await provider.interactionFinished(req, res, { login: { accountId: subject(login) } }, { mergeWithLastSubmission: false });
  } catch (e) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(`interaction failed: ${e.message}`);
  }
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
// Whoever started us may stop reading after the first line: that must not kill the provider.
process.stdout.on('error', () => {});
console.log(JSON.stringify({ issuer }));
