/**
 * Closed agenda items (docs/CLOSED-ITEMS.md): roles and closed access on memberships, a
 * secretary's marking (audited), a room per closed item with its own intents, comments moved
 * between rooms when an item is marked or unmarked, and the export. What others must not learn
 * is in test/security/closed-items.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { lastWord, runAdmin } from '../support/spawned-server.ts';
import { databaseArgs, tempDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

type MeGroups = { groups: Array<{ id: string; name: string; role: string; closedAccess: boolean }> };

describe('closed items', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('the command line gives a membership a role and closed access, changes them again, and /api/me tells the member', async () => {
    const database = await tempDatabase();
    const on = databaseArgs(database);
    const anne = lastWord((await runAdmin(['user', 'add', '--name', 'Anne Jensen', '--group', 'udvalg', ...on])).stdout);
    const boOut = await runAdmin(['user', 'add', '--name', 'Bo Hansen', ...on]);
    const boId = /Created user (\S+)/.exec(boOut.stdout)?.[1] as string;
    const bo = lastWord(boOut.stdout);
    const added = await runAdmin(['group', 'add-member', 'udvalg', boId, '--role', 'secretary', '--closed-access', ...on]);
    expect(added.stdout).toContain(`User ${boId} is a secretary of udvalg, with access to closed items`);
    await expect(runAdmin(['group', 'add-member', 'udvalg', boId, '--role', 'chair', ...on])).rejects.toThrow(
      '--role takes member or secretary',
    );

    server = await startTestServer({ database });
    const me = (token: string) => api<MeGroups>((server as TestServer).url, token, 'GET', '/api/me');
    expect((await me(anne)).body.groups).toEqual([{ id: 'udvalg', name: 'udvalg', role: 'member', closedAccess: false }]);
    expect((await me(bo)).body.groups).toEqual([{ id: 'udvalg', name: 'udvalg', role: 'secretary', closedAccess: true }]);

    // Again on a member: only what is given changes.
    const revoked = await runAdmin(['group', 'add-member', 'udvalg', boId, '--no-closed-access', ...on]);
    expect(revoked.stdout).toContain('is a secretary of udvalg, without access to closed items');
    expect((await me(bo)).body.groups).toEqual([{ id: 'udvalg', name: 'udvalg', role: 'secretary', closedAccess: false }]);
  });
});
