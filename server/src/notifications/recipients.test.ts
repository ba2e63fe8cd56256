import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTING } from '../storage/notifications.ts';
import { recipients } from './recipients.ts';

const everyone = new Set(['anne', 'bo', 'carl', 'dan']);
const all = { level: 'all', email: true } as const;

describe('who hears of a new comment', () => {
  it('gives each recipient the strongest reason only, and never the author', () => {
    const facts = { authorId: 'carl', mentions: ['anne', 'carl'], parentAuthorId: 'anne', threadAuthorIds: ['bo', 'carl'] };
    const settings = new Map([['dan', all]]);
    expect(recipients(facts, ['dan', 'bo', 'carl'], everyone, settings, DEFAULT_SETTING)).toEqual([
      { recipientId: 'anne', reason: 'mention' },
      { recipientId: 'bo', reason: 'thread' },
      { recipientId: 'dan', reason: 'follow' },
    ]);
  });

  it('tells nobody outside the audience, and follows the settings: none hears nothing, mentionsAndReplies no follow', () => {
    const facts = { authorId: 'anne', mentions: ['bo', 'eve'], parentAuthorId: 'carl', threadAuthorIds: [] };
    const settings = new Map([['carl', { level: 'none', email: true } as const]]);
    expect(recipients(facts, ['dan'], everyone, settings, DEFAULT_SETTING)).toEqual([{ recipientId: 'bo', reason: 'mention' }]);
  });
});
