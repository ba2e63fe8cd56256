/** A Randnoter test server that signs users in through a test OpenID Connect provider on loopback. */
import type { OidcConfig } from '@randnoter/server/config';
import { startTestProvider, type TestProvider } from './oidc-provider.ts';
import { EXTENSION_REDIRECT } from './sign-in-client.ts';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.ts';
import { freePort } from './test-services.ts';

export interface SignInSetup {
  server: TestServer;
  provider: TestProvider;
  oidc: OidcConfig;
  close(): Promise<void>;
}

/** The server's port is chosen first: the provider must know its callback URL before either starts. */
export async function startSignInServer(
  options: Omit<TestServerOptions, 'oidc' | 'port'> & { oidc?: Partial<OidcConfig> } = {},
): Promise<SignInSetup> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const provider = await startTestProvider({ redirectUris: [`${publicUrl}/auth/oidc/callback`] });
  const oidc: OidcConfig = {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    groupsClaim: 'groups',
    subjectClaim: 'sub',
    scopes: 'openid profile email',
    publicUrl,
    redirects: [EXTENSION_REDIRECT],
    ...options.oidc,
  };
  try {
    const server = await startTestServer({ ...options, port, oidc });
    return {
      server,
      provider,
      oidc,
      async close() {
        await server.close();
        await provider.close();
      },
    };
  } catch (error) {
    await provider.close();
    throw error;
  }
}
