/**
 * A page's token: a pasted one, or the sign-in's access token, which the page asks the background
 * for (here a fake that answers as auth-messages.ts says) and never refreshes itself.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccessReply, AuthRequest } from '../messaging/auth-messages.ts';
import { ApiError } from '../sync/server-api.ts';
import { type Access, openAccess, withRenewal } from './page-access.ts';

const SERVER = 'https://randnoter.example';
const ANNE = { id: 'u-anne', name: 'Anne Jensen' };
const MINUTE = 60_000;

/** A background with a queue of answers to `rn:auth-token`; it records each question. */
function background(...answers: AccessReply[]) {
  const asked: AuthRequest[] = [];
  const ask = async (request: AuthRequest) => {
    asked.push(request);
    return answers.length > 1 ? answers.shift() : answers[0];
  };
  return { asked, ask, answers };
}

const token = (value: string, inMs: number): AccessReply => ({ kind: 'token', token: value, refreshAt: Date.now() + inMs, user: ANNE });

describe('a page’s access to the server', () => {
  const opened: Access[] = [];
  const deps = (ask: (request: AuthRequest) => Promise<unknown>) => ({
    ask,
    now: () => Date.now(),
    timers: { setTimeout: (run: () => void, ms: number) => setTimeout(run, ms), clearTimeout: (h: unknown) => clearTimeout(h as number) },
  });
  const open = async (settings: { serverUrl: string; token: string }, ask: (request: AuthRequest) => Promise<unknown>) => {
    const access = await openAccess(settings, deps(ask));
    if (access) opened.push(access);
    return access;
  };

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-03-02T09:00:00Z') });
  });
  afterEach(() => {
    for (const access of opened.splice(0)) access.destroy();
    vi.useRealTimers();
  });

  it('uses a pasted token when the background holds no sign-in for the server, and nothing without either', async () => {
    const none = background({ kind: 'signed-out' });
    const pasted = await open({ serverUrl: SERVER, token: 'rn_service' }, none.ask);
    expect(pasted?.identity).toEqual({ serverUrl: SERVER, token: 'rn_service' });
    expect(pasted?.user).toBeNull();
    await expect(pasted?.renew('rn_service')).resolves.toBe(false);
    await expect(open({ serverUrl: SERVER, token: '' }, none.ask)).resolves.toBeNull();
    await expect(open({ serverUrl: '', token: 'rn_service' }, none.ask)).resolves.toBeNull();
  });

  it('prefers the sign-in, and asks again when the background said the token is due', async () => {
    const bg = background(token('rna_1', 8 * MINUTE), token('rna_2', 8 * MINUTE));
    const access = (await open({ serverUrl: SERVER, token: 'rn_pasted' }, bg.ask)) as Access;
    expect(access.user).toEqual(ANNE);
    expect(access.identity).toMatchObject({ serverUrl: SERVER, token: 'rna_1' });
    await vi.advanceTimersByTimeAsync(8 * MINUTE - 1);
    expect(bg.asked).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(access.identity.token).toBe('rna_2');
    expect(bg.asked[1]).toEqual({ type: 'rn:auth-token', serverUrl: SERVER });
  });

  it('tells the background which token the server refused, and takes the new one', async () => {
    const bg = background(token('rna_1', 8 * MINUTE), token('rna_2', 8 * MINUTE));
    const access = (await open({ serverUrl: SERVER, token: '' }, bg.ask)) as Access;
    await expect(access.renew('rna_1')).resolves.toBe(true);
    expect(bg.asked[1]).toEqual({ type: 'rn:auth-token', serverUrl: SERVER, rejected: 'rna_1' });
    expect(access.identity.token).toBe('rna_2');
    // The same token again is no renewal.
    await expect(access.renew('rna_2')).resolves.toBe(false);
  });

  it('ends when the background says the sign-in is over, and tells whoever listens', async () => {
    const bg = background(token('rna_1', 8 * MINUTE), { kind: 'ended', user: ANNE });
    const access = (await open({ serverUrl: SERVER, token: '' }, bg.ask)) as Access;
    const ended = vi.fn();
    access.onEnded(ended);
    await expect(access.renew('rna_1')).resolves.toBe(false);
    expect(access.ended()).toBe(true);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(access.identity.token).toBe('');
    await expect(access.renew('')).resolves.toBe(false);
    expect(bg.asked).toHaveLength(2);
  });

  it('asks again every half minute while the background cannot reach the server', async () => {
    const bg = background({ kind: 'unreachable', user: ANNE }, { kind: 'unreachable', user: ANNE }, token('rna_1', 8 * MINUTE));
    const access = (await open({ serverUrl: SERVER, token: '' }, bg.ask)) as Access;
    expect(access.identity.token).toBe('');
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(bg.asked).toHaveLength(3);
    expect(access.identity.token).toBe('rna_1');
  });

  it('repeats an HTTP call that got 401 once, with the renewed token', async () => {
    const bg = background(token('rna_1', 8 * MINUTE), token('rna_2', 8 * MINUTE));
    const access = (await open({ serverUrl: SERVER, token: '' }, bg.ask)) as Access;
    const tokensSent: string[] = [];
    const call = async () => {
      tokensSent.push(access.identity.token);
      if (access.identity.token !== 'rna_2') throw new ApiError(401, 'expired token');
      return 'ok';
    };
    await expect(withRenewal(access, call)).resolves.toBe('ok');
    expect(tokensSent).toEqual(['rna_1', 'rna_2']);

    const alwaysRefused = async () => {
      throw new ApiError(401, 'refused');
    };
    await expect(withRenewal(access, alwaysRefused)).rejects.toThrow('refused');
    await expect(withRenewal(access, () => Promise.reject(new ApiError(403, 'forbidden')))).rejects.toThrow('forbidden');
  });
});
