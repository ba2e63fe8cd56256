import { describe, expect, it } from 'vitest';
import { ConfigError, databaseOf, readServerConfig } from './config.ts';

describe('database and Redis settings', () => {
  it('keeps the SQLite default when nothing names a database', () => {
    expect(readServerConfig({}, {}).database).toEqual({ kind: 'sqlite', path: './data/randnoter.sqlite', durability: 'normal' });
    expect(readServerConfig({ db: '/srv/x.sqlite', durability: 'full' }, {}).database).toEqual({
      kind: 'sqlite',
      path: '/srv/x.sqlite',
      durability: 'full',
    });
  });

  it('takes PostgreSQL from --database or DATABASE_URL, the flag first', () => {
    expect(databaseOf({}, { DATABASE_URL: 'postgres://u:p@db/r' })).toEqual({ kind: 'postgres', url: 'postgres://u:p@db/r', poolSize: 10 });
    expect(databaseOf({ database: 'postgresql://a@b/c' }, { DATABASE_URL: 'postgres://u:p@db/r', RANDNOTER_PG_POOL_SIZE: '4' })).toEqual({
      kind: 'postgres',
      url: 'postgresql://a@b/c',
      poolSize: 4,
    });
    // --db names a SQLite file and wins over the environment, as it always did.
    expect(databaseOf({ db: 'here.sqlite' }, { DATABASE_URL: 'postgres://u:p@db/r' })).toMatchObject({
      kind: 'sqlite',
      path: 'here.sqlite',
    });
  });

  it('shares rooms through Redis only between processes on one PostgreSQL database', () => {
    const config = readServerConfig({ database: 'postgres://u:p@db/r' }, { REDIS_URL: 'redis://cache:6379' });
    expect(config.redisUrl).toBe('redis://cache:6379');
    expect(config.redisPrefix).toBe('randnoter:');
    expect(readServerConfig({}, {}).redisUrl).toBeUndefined();
    expect(() => readServerConfig({ redis: 'redis://cache:6379' }, {})).toThrow(ConfigError);
    expect(() => readServerConfig({ database: 'postgres://u:p@db/r', redis: 'http://cache' }, {})).toThrow(/redis:\/\//);
  });
});

describe('limits', () => {
  it('reads how often a member may replace a group’s agenda correction, and refuses nonsense', () => {
    expect(readServerConfig({}, {}).limits).toMatchObject({ agendaCorrectionsPerHour: 30, agendaCorrectionBurst: 10 });
    const limits = readServerConfig({}, { RANDNOTER_AGENDA_CORRECTIONS_PER_HOUR: '120', RANDNOTER_AGENDA_CORRECTION_BURST: '3' }).limits;
    expect(limits).toMatchObject({ agendaCorrectionsPerHour: 120, agendaCorrectionBurst: 3 });
    expect(() => readServerConfig({}, { RANDNOTER_AGENDA_CORRECTION_BURST: '0' })).toThrow(ConfigError);
    expect(() => readServerConfig({}, { RANDNOTER_AGENDA_CORRECTIONS_PER_HOUR: 'many' })).toThrow(/RANDNOTER_AGENDA_CORRECTIONS_PER_HOUR/);
  });

  it('reads how many requests one user may make of the API, and refuses nonsense', () => {
    expect(readServerConfig({}, {}).limits).toMatchObject({ apiRequestsPerSecond: 50, apiRequestBurst: 500 });
    const limits = readServerConfig({}, { RANDNOTER_API_REQUESTS_PER_SECOND: '10', RANDNOTER_API_REQUEST_BURST: '40' }).limits;
    expect(limits).toMatchObject({ apiRequestsPerSecond: 10, apiRequestBurst: 40 });
    expect(() => readServerConfig({}, { RANDNOTER_API_REQUEST_BURST: '0' })).toThrow(ConfigError);
    expect(() => readServerConfig({}, { RANDNOTER_API_REQUESTS_PER_SECOND: 'lots' })).toThrow(/RANDNOTER_API_REQUESTS_PER_SECOND/);
  });

  it('reads how often sockets on closed items re-check their access, at most every 10 ms', () => {
    expect(readServerConfig({}, {}).limits.closedAccessRecheckMs).toBe(500);
    expect(readServerConfig({}, { RANDNOTER_CLOSED_ACCESS_RECHECK_MS: '250' }).limits.closedAccessRecheckMs).toBe(250);
    expect(() => readServerConfig({}, { RANDNOTER_CLOSED_ACCESS_RECHECK_MS: '5' })).toThrow(/RANDNOTER_CLOSED_ACCESS_RECHECK_MS/);
  });

  it('keeps the access log 180 days unless RANDNOTER_ACCESS_LOG_DAYS says otherwise, and at least a day', () => {
    expect(readServerConfig({}, {}).limits).toMatchObject({ accessLogDays: 180, accessLogCoalesceMs: 600_000, accessLogFlushMs: 5_000 });
    const limits = readServerConfig({}, { RANDNOTER_ACCESS_LOG_DAYS: '30', RANDNOTER_ACCESS_LOG_COALESCE_MS: '0' }).limits;
    expect(limits).toMatchObject({ accessLogDays: 30, accessLogCoalesceMs: 0 });
    expect(() => readServerConfig({}, { RANDNOTER_ACCESS_LOG_DAYS: '0' })).toThrow(/RANDNOTER_ACCESS_LOG_DAYS must be an integer >= 1/);
    expect(() => readServerConfig({}, { RANDNOTER_ACCESS_LOG_DAYS: 'forever' })).toThrow(ConfigError);
    expect(() => readServerConfig({}, { RANDNOTER_ACCESS_LOG_MAX_PENDING: '0' })).toThrow(/RANDNOTER_ACCESS_LOG_MAX_PENDING/);
  });

  it('reads the compaction waits from the environment and refuses what is not a whole number', () => {
    expect(readServerConfig({}, {}).limits).toMatchObject({ compactQuietMs: 250, compactMaxWaitMs: 2_000 });
    const limits = readServerConfig({}, { RANDNOTER_COMPACT_QUIET_MS: '0', RANDNOTER_COMPACT_MAX_WAIT_MS: '500' }).limits;
    expect(limits).toMatchObject({ compactQuietMs: 0, compactMaxWaitMs: 500 });
    expect(() => readServerConfig({}, { RANDNOTER_COMPACT_QUIET_MS: '1.5' })).toThrow(/RANDNOTER_COMPACT_QUIET_MS must be an integer/);
    expect(() => readServerConfig({}, { RANDNOTER_COMPACT_MAX_WAIT_MS: '-1' })).toThrow(ConfigError);
  });

  it('reads the export limits (worker time, memory, concurrency, queue, file size, idle time) and refuses bad values', () => {
    expect(readServerConfig({}, {}).limits).toMatchObject({
      exportConcurrency: 1,
      exportQueue: 8,
      exportTimeoutMs: 60_000,
      exportMaxMemoryMb: 256,
      exportMaxBytes: 64 * 1024 * 1024,
      exportIdleMs: 30_000,
    });
    const limits = readServerConfig(
      {},
      {
        RANDNOTER_EXPORT_CONCURRENCY: '3',
        RANDNOTER_EXPORT_QUEUE: '0',
        RANDNOTER_EXPORT_TIMEOUT_MS: '90000',
        RANDNOTER_EXPORT_MAX_MEMORY_MB: '1024',
        RANDNOTER_EXPORT_MAX_BYTES: '1048576',
        RANDNOTER_EXPORT_IDLE_MS: '0',
      },
    ).limits;
    expect(limits).toMatchObject({
      exportConcurrency: 3,
      exportQueue: 0,
      exportTimeoutMs: 90_000,
      exportMaxMemoryMb: 1024,
      exportMaxBytes: 1_048_576,
      exportIdleMs: 0,
    });
    expect(() => readServerConfig({}, { RANDNOTER_EXPORT_CONCURRENCY: '0' })).toThrow(
      /RANDNOTER_EXPORT_CONCURRENCY must be an integer >= 1/,
    );
    expect(() => readServerConfig({}, { RANDNOTER_EXPORT_MAX_MEMORY_MB: '8' })).toThrow(
      /RANDNOTER_EXPORT_MAX_MEMORY_MB must be an integer >= 16/,
    );
    expect(() => readServerConfig({}, { RANDNOTER_EXPORT_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
  });
});

describe('limits of sockets that have not authenticated', () => {
  it('reads the frame size and the socket caps from the environment', () => {
    expect(readServerConfig({}, {}).limits).toMatchObject({
      maxUnauthenticatedFrameBytes: 64 * 1024,
      maxUnauthenticated: 1024,
      maxUnauthenticatedPerAddress: 64,
    });
    const limits = readServerConfig(
      {},
      {
        RANDNOTER_MAX_UNAUTHENTICATED_FRAME_BYTES: '4096',
        RANDNOTER_MAX_UNAUTHENTICATED: '10',
        RANDNOTER_MAX_UNAUTHENTICATED_PER_ADDRESS: '2',
      },
    ).limits;
    expect(limits).toMatchObject({ maxUnauthenticatedFrameBytes: 4096, maxUnauthenticated: 10, maxUnauthenticatedPerAddress: 2 });
    expect(() => readServerConfig({}, { RANDNOTER_MAX_UNAUTHENTICATED_PER_ADDRESS: '0' })).toThrow(/must be an integer >= 1/);
  });
});

describe('sign-in through OpenID Connect', () => {
  const entra = {
    RANDNOTER_OIDC_ISSUER: 'https://login.microsoftonline.com/7f3c0000-0000-0000-0000-00000000abcd/v2.0',
    RANDNOTER_OIDC_CLIENT_ID: '0b1c0000-0000-0000-0000-000000000001',
    RANDNOTER_OIDC_CLIENT_SECRET: 'a secret from the app registration',
    RANDNOTER_PUBLIC_URL: 'https://randnoter.kommune.dk/',
    RANDNOTER_OIDC_REDIRECTS: 'https://abcdefghijklmnop.chromiumapp.org/, https://0123abcd.extensions.allizom.org/',
  };

  it('is off without any of its settings, and on with all of them, defaults filled in', () => {
    expect(readServerConfig({}, {}).oidc).toBeUndefined();
    expect(readServerConfig({}, entra).oidc).toEqual({
      issuer: entra.RANDNOTER_OIDC_ISSUER,
      clientId: entra.RANDNOTER_OIDC_CLIENT_ID,
      clientSecret: 'a secret from the app registration',
      groupsClaim: 'groups',
      subjectClaim: 'sub',
      scopes: 'openid profile email',
      publicUrl: 'https://randnoter.kommune.dk',
      redirects: ['https://abcdefghijklmnop.chromiumapp.org/', 'https://0123abcd.extensions.allizom.org/'],
    });
  });

  it('takes flags before the environment, except the client secret, which only the environment gives', () => {
    const config = readServerConfig(
      {
        'oidc-issuer': 'https://idp.example.org',
        'oidc-client-id': 'flag-client',
        'oidc-groups-claim': 'roles',
        'oidc-subject-claim': 'oid',
        'oidc-scopes': 'openid  profile groups',
        'public-url': 'https://notes.example.org/randnoter',
        'oidc-redirects': 'https://x.chromiumapp.org/',
        'oidc-client-secret': 'never read from a flag',
      },
      entra,
    ).oidc;
    expect(config).toMatchObject({
      issuer: 'https://idp.example.org',
      clientId: 'flag-client',
      clientSecret: 'a secret from the app registration',
      groupsClaim: 'roles',
      subjectClaim: 'oid',
      scopes: 'openid profile groups',
      publicUrl: 'https://notes.example.org/randnoter',
      redirects: ['https://x.chromiumapp.org/'],
    });
  });

  it('names every setting that is missing when only some are given', () => {
    expect(() => readServerConfig({}, { RANDNOTER_OIDC_ISSUER: entra.RANDNOTER_OIDC_ISSUER })).toThrow(
      /needs --oidc-client-id \(RANDNOTER_OIDC_CLIENT_ID\), RANDNOTER_OIDC_CLIENT_SECRET, --public-url \(RANDNOTER_PUBLIC_URL\), --oidc-redirects \(RANDNOTER_OIDC_REDIRECTS\)/,
    );
    expect(() => readServerConfig({}, { ...entra, RANDNOTER_OIDC_CLIENT_SECRET: '' })).toThrow(/RANDNOTER_OIDC_CLIENT_SECRET/);
  });

  it('accepts an http:// issuer only on a loopback address', () => {
    for (const issuer of ['http://127.0.0.1:9000', 'http://localhost:9000/realms/test', 'http://[::1]:9000', 'http://127.8.9.10'])
      expect(readServerConfig({}, { ...entra, RANDNOTER_OIDC_ISSUER: issuer }).oidc?.issuer).toBe(issuer);
    for (const issuer of ['http://idp.example.org', 'http://10.0.0.5:8080', 'http://127.0.0.1.nip.io', 'ftp://127.0.0.1', 'not a url'])
      expect(() => readServerConfig({}, { ...entra, RANDNOTER_OIDC_ISSUER: issuer }), issuer).toThrow(ConfigError);
    expect(() => readServerConfig({}, { ...entra, RANDNOTER_OIDC_ISSUER: 'https://idp.example.org/#x' })).toThrow(/fragment/);
    expect(() => readServerConfig({}, { ...entra, RANDNOTER_PUBLIC_URL: 'http://randnoter.kommune.dk' })).toThrow(/RANDNOTER_PUBLIC_URL/);
  });

  it('refuses redirect URIs that are not absolute https:// URLs, an empty list, bad claim names and scopes without openid', () => {
    expect(() => readServerConfig({}, { ...entra, RANDNOTER_OIDC_REDIRECTS: ' , ' })).toThrow(/at least one/);
    expect(() => readServerConfig({}, { ...entra, RANDNOTER_OIDC_REDIRECTS: 'http://x.chromiumapp.org/' })).toThrow(/https/);
    expect(() => readServerConfig({}, { ...entra, RANDNOTER_OIDC_REDIRECTS: '/relative' })).toThrow(/absolute/);
    expect(() => readServerConfig({}, { ...entra, RANDNOTER_OIDC_REDIRECTS: 'https://x.chromiumapp.org/#frag' })).toThrow(/fragment/);
    expect(() => readServerConfig({}, { ...entra, RANDNOTER_OIDC_GROUPS_CLAIM: 'a b' })).toThrow(/claim name/);
    expect(() => readServerConfig({}, { ...entra, RANDNOTER_OIDC_SCOPES: 'profile email' })).toThrow(/openid/);
  });

  it('reads the sign-in limits and refuses nonsense', () => {
    expect(readServerConfig({}, {}).limits).toMatchObject({
      oidcAccessTokenSeconds: 600,
      oidcRefreshIdleSeconds: 604_800,
      oidcSessionSeconds: 2_592_000,
      oidcPendingSeconds: 600,
      oidcMaxSessionsPerUser: 20,
      signInRequestsPerMinute: 60,
      signInBurst: 30,
      signInMaxAddresses: 10_000,
    });
    const limits = readServerConfig(
      {},
      {
        RANDNOTER_OIDC_ACCESS_TOKEN_SECONDS: '300',
        RANDNOTER_OIDC_REFRESH_IDLE_SECONDS: '86400',
        RANDNOTER_OIDC_SESSION_SECONDS: '604800',
        RANDNOTER_OIDC_PENDING_SECONDS: '120',
        RANDNOTER_OIDC_MAX_SESSIONS_PER_USER: '5',
        RANDNOTER_SIGNIN_REQUESTS_PER_MINUTE: '600',
        RANDNOTER_SIGNIN_BURST: '100',
        RANDNOTER_SIGNIN_MAX_ADDRESSES: '50000',
      },
    ).limits;
    expect(limits).toMatchObject({
      oidcAccessTokenSeconds: 300,
      oidcRefreshIdleSeconds: 86_400,
      oidcSessionSeconds: 604_800,
      oidcPendingSeconds: 120,
      oidcMaxSessionsPerUser: 5,
      signInRequestsPerMinute: 600,
      signInBurst: 100,
      signInMaxAddresses: 50_000,
    });
    expect(() => readServerConfig({}, { RANDNOTER_OIDC_ACCESS_TOKEN_SECONDS: '5' })).toThrow(/>= 30/);
    expect(() => readServerConfig({}, { RANDNOTER_OIDC_MAX_SESSIONS_PER_USER: '0' })).toThrow(ConfigError);
  });
});

describe('retention', () => {
  it('keeps everything unless RANDNOTER_RETENTION_DAYS says how many days after the meeting', () => {
    expect(readServerConfig({}, {}).retention).toEqual({ days: null });
    expect(readServerConfig({}, { RANDNOTER_RETENTION_DAYS: '' }).retention).toEqual({ days: null });
    expect(readServerConfig({}, { RANDNOTER_RETENTION_DAYS: '365' }).retention).toEqual({ days: 365 });
    expect(() => readServerConfig({}, { RANDNOTER_RETENTION_DAYS: '0' })).toThrow(/RANDNOTER_RETENTION_DAYS must be an integer >= 1/);
    expect(() => readServerConfig({}, { RANDNOTER_RETENTION_DAYS: 'forever' })).toThrow(ConfigError);
  });

  it('checks for due erasures every minute and runs retention daily unless told otherwise', () => {
    expect(readServerConfig({}, {}).limits).toMatchObject({ erasureCheckMs: 60_000, retentionRunMs: 86_400_000 });
    expect(readServerConfig({}, { RANDNOTER_ERASURE_CHECK_MS: '100', RANDNOTER_RETENTION_RUN_MS: '5000' }).limits).toMatchObject({
      erasureCheckMs: 100,
      retentionRunMs: 5000,
    });
    expect(() => readServerConfig({}, { RANDNOTER_ERASURE_CHECK_MS: '1' })).toThrow(ConfigError);
  });
});

describe('e-mail', () => {
  const smtp = { RANDNOTER_SMTP_URL: 'smtp://mail.kommune.dk:587', RANDNOTER_SMTP_FROM: 'Randnoter <rn@kommune.dk>' };

  it('is off without RANDNOTER_SMTP_URL, and on with it, the sender and the public URL, delay 15 minutes by default', () => {
    expect(readServerConfig({}, {}).mail).toBeUndefined();
    const mail = readServerConfig({}, { ...smtp, RANDNOTER_PUBLIC_URL: 'https://rn.kommune.dk/' }).mail;
    expect(mail).toEqual({
      smtpUrl: 'smtp://mail.kommune.dk:587',
      from: 'Randnoter <rn@kommune.dk>',
      publicUrl: 'https://rn.kommune.dk',
      delayMinutes: 15,
      digestHour: 16,
      timeZone: 'Europe/Copenhagen',
    });
    const later = readServerConfig(
      { 'public-url': 'https://rn.kommune.dk' },
      { ...smtp, RANDNOTER_MAIL_DELAY_MINUTES: '60', RANDNOTER_MAIL_DIGEST_HOUR: '8' },
    );
    expect(later.mail).toMatchObject({ delayMinutes: 60, digestHour: 8 });
  });

  it('refuses what cannot work: another scheme, no sender, no public URL, a bad delay, hour or time zone', () => {
    const url = { RANDNOTER_PUBLIC_URL: 'https://rn.kommune.dk' };
    expect(() => readServerConfig({}, { ...smtp, ...url, RANDNOTER_SMTP_URL: 'http://mail' })).toThrow(/smtp:\/\/ or smtps:\/\//);
    expect(() => readServerConfig({}, { ...url, RANDNOTER_SMTP_URL: smtp.RANDNOTER_SMTP_URL })).toThrow(/RANDNOTER_SMTP_FROM/);
    expect(() => readServerConfig({}, smtp)).toThrow(/RANDNOTER_PUBLIC_URL/);
    expect(() => readServerConfig({}, { ...smtp, ...url, RANDNOTER_MAIL_DELAY_MINUTES: 'soon' })).toThrow(/RANDNOTER_MAIL_DELAY_MINUTES/);
    expect(() => readServerConfig({}, { ...smtp, ...url, RANDNOTER_MAIL_DIGEST_HOUR: '24' })).toThrow(/RANDNOTER_MAIL_DIGEST_HOUR/);
    expect(() => readServerConfig({}, { ...smtp, ...url, RANDNOTER_TIMEZONE: 'Mars/Olympus' })).toThrow(/RANDNOTER_TIMEZONE/);
  });

  it('reads the notification and mail limits', () => {
    expect(readServerConfig({}, {}).limits).toMatchObject({
      notificationsKeptPerUser: 1000,
      notificationPageSize: 50,
      mailIntervalMs: 60_000,
      mailRetryMs: 60_000,
      mailRetryMaxMs: 3_600_000,
    });
    const limits = readServerConfig({}, { RANDNOTER_NOTIFICATIONS_KEPT_PER_USER: '200', RANDNOTER_NOTIFICATION_PAGE_SIZE: '20' }).limits;
    expect(limits).toMatchObject({ notificationsKeptPerUser: 200, notificationPageSize: 20 });
    expect(() => readServerConfig({}, { RANDNOTER_NOTIFICATIONS_KEPT_PER_USER: '5' })).toThrow(/RANDNOTER_NOTIFICATIONS_KEPT_PER_USER/);
  });
});
