/**
 * Setup of the `integration-postgres` project: without a test PostgreSQL (a developer who did
 * not start .ci/test-services.sh) every test is skipped, with the reason, instead of failing.
 * CI always provides one.
 */
import { beforeEach } from 'vitest';
import { postgresUnavailable } from './test-database.ts';

if (postgresUnavailable) {
  const reason = postgresUnavailable;
  beforeEach((context) => {
    context.skip(reason);
  });
}
