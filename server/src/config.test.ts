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
