import { describe, expect, it } from 'vitest';
import { AddressRate, addressKey } from './address-rate.ts';

describe('the sign-in endpoints’ allowance per address', () => {
  it('counts an IPv6 address by its /64 and an IPv4-mapped one as IPv4', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::1')).toBe(addressKey('2001:0db8:0001:0002:ffff::9'));
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('64:ff9b::203.0.113.9')).toBe('64:ff9b:0:0::/64');
  });

  it('lets a burst through, then one request per 60/rate seconds, and says how long to wait', () => {
    let now = 0;
    const rate = new AddressRate({ perMinute: 6, burst: 3, maxAddresses: 100 }, () => now);
    expect([rate.take('a'), rate.take('a'), rate.take('a')]).toEqual([null, null, null]);
    expect(rate.take('a')).toBe(10);
    expect(rate.take('b')).toBeNull();
    now += 10_000;
    expect(rate.take('a')).toBeNull();
    expect(rate.take('a')).toBe(10);
  });

  it('tracks a bounded number of addresses: refilled ones make room, busy ones do not', () => {
    let now = 0;
    const rate = new AddressRate({ perMinute: 60, burst: 1, maxAddresses: 2 }, () => now);
    expect(rate.take('a')).toBeNull();
    expect(rate.take('b')).toBeNull();
    expect(rate.take('c')).not.toBeNull();
    expect(rate.size).toBe(2);
    now += 1_000; // a and b have refilled
    expect(rate.take('c')).toBeNull();
    expect(rate.size).toBe(1);
  });
});
