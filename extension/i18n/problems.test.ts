import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../sync/server-api.ts';
import { messages } from './messages.ts';
import { Problem, problemOf, problemOfClose, problemOfStatus } from './problems.ts';

describe('problems in the user’s words', () => {
  it('turns what the server says (status, close code) into what to do, never its English reason', () => {
    const t = messages('da');
    expect(t.problem[problemOf(new ApiError(401, 'missing, unknown or revoked token'))]).toBe(
      'Forkert eller udløbet token – indsæt et nyt i indstillingerne, eller log ind igen.',
    );
    expect(t.problem[problemOfClose(CloseCode.unauthorized)]).toBe(t.problem.token);
    expect(problemOfClose(CloseCode.notFound)).toBe(Problem.noAccess);
    expect(problemOfClose(CloseCode.documentTooLarge)).toBe(Problem.tooLarge);
    expect(problemOfClose(CloseCode.rateLimited)).toBe(Problem.busy);
    expect(problemOfStatus(404)).toBe(Problem.noAccess);
    expect(problemOfStatus(413)).toBe(Problem.tooLarge);
    expect(problemOfStatus(400)).toBe(Problem.invalid);
    expect(problemOfStatus(503)).toBe(Problem.serverError);
  });

  it('tells a server that does not answer from an address that is not a Randnoter server', () => {
    expect(problemOf(new TypeError('Failed to fetch'))).toBe(Problem.unreachable);
    expect(problemOf(new ApiError(0, 'NetworkError when attempting to fetch resource.'))).toBe(Problem.unreachable);
    expect(messages('da').problem.unreachable).toMatch(/^Serveren svarer ikke – tjek Serveradresse/);
    // A web page at the address (its 404 or 200 is HTML): the address is wrong, not the token.
    expect(problemOf(new ApiError(404, 'HTTP 404, not JSON', true))).toBe(Problem.notRandnoter);
    expect(problemOf(new ApiError(200, 'HTTP 200, not JSON', true))).toBe(Problem.notRandnoter);
    // A proxy's 502 page is the server's trouble, whatever its body.
    expect(problemOf(new ApiError(502, 'HTTP 502, not JSON', true))).toBe(Problem.serverError);
    expect(problemOf(new Error('anything else'))).toBe(Problem.unknown);
  });

  it('has a sentence for every problem in both languages, none of them the English reason', () => {
    for (const language of ['da', 'en'] as const) {
      for (const problem of Object.values(Problem)) expect(messages(language).problem[problem]).toMatch(/^[A-ZÆØÅ].+\.$/);
    }
    expect(messages('en').problem.token).toBe('Wrong or expired token – paste a new one in the settings, or sign in again.');
  });
});
