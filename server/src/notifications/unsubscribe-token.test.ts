import { describe, expect, it } from 'vitest';
import { readUnsubscribeToken, unsubscribeToken } from './unsubscribe-token.ts';

describe('unsubscribe tokens', () => {
  it('name the user and group they were made for, under the key they were signed with only', () => {
    const token = unsubscribeToken('key-1', 'u-anne', 'udvalg');
    expect(readUnsubscribeToken('key-1', token)).toEqual({ userId: 'u-anne', groupId: 'udvalg' });
    expect(readUnsubscribeToken('key-2', token)).toBeNull();
  });

  it('refuse a token whose user or group was changed, or that is not a token at all', () => {
    const token = unsubscribeToken('key-1', 'u-anne', 'udvalg');
    const mac = token.split('.')[2];
    expect(readUnsubscribeToken('key-1', `u-bo.udvalg.${mac}`)).toBeNull();
    expect(readUnsubscribeToken('key-1', `u-anne.andre.${mac}`)).toBeNull();
    expect(readUnsubscribeToken('key-1', '')).toBeNull();
    expect(readUnsubscribeToken('key-1', `${token}.x`)).toBeNull();
  });
});
