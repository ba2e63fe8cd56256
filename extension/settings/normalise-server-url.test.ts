import { describe, expect, it } from 'vitest';
import { normaliseServerUrl } from './settings.ts';

describe('the server address as typed', () => {
  it('adds https:// when the scheme is missing, and http:// for this machine', () => {
    expect(normaliseServerUrl('randnoter.kommune.dk')).toBe('https://randnoter.kommune.dk');
    expect(normaliseServerUrl(' randnoter.kommune.dk:8443/sti/ ')).toBe('https://randnoter.kommune.dk:8443');
    expect(normaliseServerUrl('localhost:8787')).toBe('http://localhost:8787');
    expect(normaliseServerUrl('127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
    expect(normaliseServerUrl('[::1]:8787')).toBe('http://[::1]:8787');
    // Not this machine, though the name starts like it.
    expect(normaliseServerUrl('localhost.kommune.dk')).toBe('https://localhost.kommune.dk');
  });

  it('keeps a scheme that is there, and refuses what is not a web address', () => {
    expect(normaliseServerUrl('http://randnoter.kommune.dk/')).toBe('http://randnoter.kommune.dk');
    expect(normaliseServerUrl('HTTPS://Randnoter.Kommune.dk')).toBe('https://randnoter.kommune.dk');
    expect(normaliseServerUrl('ftp://server.example')).toBeNull();
    expect(normaliseServerUrl('ikke en adresse')).toBeNull();
  });
});
