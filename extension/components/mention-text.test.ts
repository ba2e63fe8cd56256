import { describe, expect, it } from 'vitest';
import { filterPeople, insertMention, mentionQueryAt, mentionsIn, splitMentions } from './mention-text.ts';

const anne = { id: 'u-anne', name: 'Anne Jensen' };
const bo = { id: 'u-bo', name: 'Bo Hansen' };
const boel = { id: 'u-boel', name: 'Boel Ørsted' };
const aase = { id: 'u-aase', name: 'Åse Bødker' };
const people = [anne, bo, boel, aase];

describe('the @ being typed at the caret', () => {
  it('is found at the start of the text, after a space or a bracket, with what follows it up to the caret', () => {
    expect(mentionQueryAt('@', 1)).toEqual({ at: 0, query: '' });
    expect(mentionQueryAt('Spørg @Bo', 9)).toEqual({ at: 6, query: 'Bo' });
    expect(mentionQueryAt('Spørg @Bo H', 11)).toEqual({ at: 6, query: 'Bo H' });
    expect(mentionQueryAt('(se @an', 7)).toEqual({ at: 4, query: 'an' });
    // Only what is before the caret counts.
    expect(mentionQueryAt('Spørg @Bo om det', 9)).toEqual({ at: 6, query: 'Bo' });
  });

  it('is not an e-mail address, a space right after @, a line break, or a long sentence', () => {
    expect(mentionQueryAt('skriv til anne@kommune.dk', 25)).toBeNull();
    expect(mentionQueryAt('pris @ 5 kr', 7)).toBeNull();
    expect(mentionQueryAt('@Bo\nnæste linje', 15)).toBeNull();
    expect(mentionQueryAt(`@${'a'.repeat(41)}`, 42)).toBeNull();
    expect(mentionQueryAt('ingen snabel-a her', 18)).toBeNull();
  });
});

describe('filtering the audience', () => {
  it('offers whole-name matches first, then a later word, ignoring case and accents, and everyone for a bare @', () => {
    expect(filterPeople(people, 'bo').map((p) => p.id)).toEqual(['u-bo', 'u-boel']);
    expect(filterPeople(people, 'bød').map((p) => p.id)).toEqual(['u-aase']);
    expect(filterPeople(people, 'HANS').map((p) => p.id)).toEqual(['u-bo']);
    expect(filterPeople(people, 'ase').map((p) => p.id)).toEqual(['u-aase']);
    expect(filterPeople(people, '').map((p) => p.id)).toEqual(['u-anne', 'u-bo', 'u-boel', 'u-aase']);
    expect(filterPeople(people, 'carl')).toEqual([]);
    expect(filterPeople(people, '', 2)).toHaveLength(2);
  });
});

describe('choosing a person', () => {
  it('replaces @query with @Name and a space, and puts the caret after it', () => {
    const text = 'Spørg @bo om det';
    const chosen = insertMention(text, { at: 6, query: 'bo' }, 9, bo);
    expect(chosen.text).toBe('Spørg @Bo Hansen om det');
    expect(chosen.text.slice(0, chosen.caret)).toBe('Spørg @Bo Hansen ');
    const atEnd = insertMention('Hej @an', { at: 4, query: 'an' }, 7, anne);
    expect(atEnd).toEqual({ text: 'Hej @Anne Jensen ', caret: 17 });
  });
});

describe('the mentions sent at save', () => {
  it('are the people chosen whose @Name is still in the text, each once', () => {
    expect(mentionsIn('@Bo Hansen og @Anne Jensen, se her. @Bo Hansen?', [bo, anne, bo])).toEqual(['u-bo', 'u-anne']);
    // Anne's name was deleted after she was chosen; "@Bo Hansenfar" is not Bo.
    expect(mentionsIn('Til @Bo Hansenfar', [bo, anne])).toEqual([]);
    expect(mentionsIn('Bo Hansen uden snabel-a', [bo])).toEqual([]);
  });

  it('are at most 25, the bound the server keeps', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ id: `u${i}`, name: `Person ${i}` }));
    const text = many.map((p) => `@${p.name}`).join(' ');
    expect(mentionsIn(text, many)).toEqual(many.slice(0, 25).map((p) => p.id));
  });
});

describe('a body on the card', () => {
  it('is cut into text and mentions, the longest name first, and keeps text that looks like HTML as text', () => {
    const bo2 = { id: 'u-bo2', name: 'Bo' };
    expect(splitMentions('Hej @Bo Hansen og @Bo: <b>se</b>', [bo2, bo])).toEqual([
      { text: 'Hej ' },
      { text: '@Bo Hansen', person: bo },
      { text: ' og ' },
      { text: '@Bo', person: bo2 },
      { text: ': <b>se</b>' },
    ]);
    expect(splitMentions('ingen', [bo])).toEqual([{ text: 'ingen' }]);
    expect(splitMentions('', [bo])).toEqual([]);
  });
});
