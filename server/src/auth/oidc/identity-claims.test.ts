import { describe, expect, it } from 'vitest';
import { MAX_GROUP_VALUES, signedInFrom } from './identity-claims.ts';

const names = { subjectClaim: 'sub', groupsClaim: 'groups' };
const base = { iss: 'https://idp.example.org', sub: 'user-1', name: 'Anne Jensen' };

describe('who signed in, from the ID token', () => {
  it('keys the user by issuer and the configured subject claim (Entra ID: oid)', () => {
    const entra = { ...base, sub: 'pairwise-per-app', oid: '9d1f0000-0000-0000-0000-00000000beef', tid: 'tenant' };
    expect(signedInFrom(entra, { ...names, subjectClaim: 'oid' })).toMatchObject({
      ok: true,
      value: { identity: { issuer: 'https://idp.example.org', subject: '9d1f0000-0000-0000-0000-00000000beef' } },
    });
    expect(signedInFrom({ ...base, sub: '' }, names)).toEqual({ ok: false, error: 'the ID token has no usable "sub" claim' });
    expect(signedInFrom(base, { ...names, subjectClaim: 'oid' }).ok).toBe(false);
  });

  it('takes the name from name, else given and family name, else the user name or e-mail, cleaned of control characters', () => {
    const nameOf = (claims: Record<string, unknown>) => {
      const read = signedInFrom({ iss: base.iss, sub: 's', ...claims }, names);
      return read.ok ? read.value.identity.name : read.error;
    };
    expect(nameOf({ name: '  Anne\u0000\n  Jensen ' })).toBe('Anne Jensen');
    expect(nameOf({ given_name: 'Bo', family_name: 'Hansen' })).toBe('Bo Hansen');
    expect(nameOf({ preferred_username: 'bo@kommune.dk' })).toBe('bo@kommune.dk');
    expect(nameOf({ name: 'x'.repeat(500) })).toHaveLength(200);
    expect(nameOf({})).toMatch(/names no user/);
  });

  it('keeps an e-mail address only when it looks like one', () => {
    const email = (value: unknown) => {
      const read = signedInFrom({ ...base, email: value }, names);
      return read.ok ? read.value.identity.email : 'refused';
    };
    expect(email('anne@kommune.dk')).toBe('anne@kommune.dk');
    expect(email('not an address')).toBeNull();
    expect(email(42)).toBeNull();
  });

  it('reads the groups claim: a list, one value, or none (no groups); but not an overage or an implausible list', () => {
    const groups = (claims: Record<string, unknown>, claim = 'groups') => {
      const read = signedInFrom({ ...base, ...claims }, { ...names, groupsClaim: claim });
      return read.ok ? read.value.groups : 'refused';
    };
    expect(groups({ groups: ['a', 'b', 'a', 7, '', 'x'.repeat(300)] })).toEqual(['a', 'b']);
    expect(groups({ roles: 'udvalg' }, 'roles')).toEqual(['udvalg']);
    expect(groups({})).toEqual([]);
    // Entra ID's overage: too many groups for the token, the claim points to Graph instead.
    expect(groups({ _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint: 'https://graph' } } })).toBeNull();
    expect(groups({ groups: Array.from({ length: MAX_GROUP_VALUES + 1 }, (_, i) => `g${i}`) })).toBeNull();
    expect(groups({ groups: { a: 1 } })).toBeNull();
  });
});
