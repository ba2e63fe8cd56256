/**
 * Free space where the SQLite database lives, for /health and /metrics: a full disk refuses every
 * write (nothing acknowledged is lost, but nothing new is kept), so operators must hear of it
 * before. PostgreSQL's disk is the database server's to watch.
 */
import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DatabaseConfig } from './database.ts';

export type DiskSpace = () => Promise<number>;

export function diskSpaceOf(config: DatabaseConfig): DiskSpace | null {
  if (config.kind !== 'sqlite' || config.path === ':memory:') return null;
  const folder = dirname(resolve(config.path));
  return async () => {
    const stats = await statfs(folder);
    return stats.bavail * stats.bsize;
  };
}
