// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { messages } from '../i18n/messages.ts';
import { createUndoOffers } from './undo-offer.ts';

describe('"Fortryd" after a deletion', () => {
  afterEach(() => vi.useRealTimers());

  const setUp = () => {
    vi.useFakeTimers();
    const host = document.createElement('p');
    document.body.append(host);
    const log: string[] = [];
    const offers = createUndoOffers(host, messages('da'), 8000);
    const offer = (id: string) =>
      offers.offer(
        'Kommentaren er slettet.',
        () => log.push(`sent ${id}`),
        () => log.push(`undone ${id}`),
      );
    const undoButton = () => host.querySelector('button');
    return { host, log, offers, offer, undoButton };
  };

  it('sends nothing until the time is up, and nothing at all when "Fortryd" is pressed', () => {
    const { host, log, offer, undoButton } = setUp();
    offer('c1');
    expect(host.hidden).toBe(false);
    expect(host.textContent).toBe('Kommentaren er slettet. Fortryd');
    expect(document.activeElement).toBe(undoButton());
    vi.advanceTimersByTime(7999);
    expect(log).toEqual([]);
    undoButton()?.click();
    vi.advanceTimersByTime(60_000);
    expect(log).toEqual(['undone c1']);
    expect(host.hidden).toBe(true);

    offer('c2');
    vi.advanceTimersByTime(8000);
    expect(log).toEqual(['undone c1', 'sent c2']);
    expect(host.hidden).toBe(true);
  });

  it('sends the one on offer when another deletion comes, or when the page goes', () => {
    const { log, offers, offer } = setUp();
    offer('c1');
    offer('c2');
    expect(log).toEqual(['sent c1']);
    offers.settle();
    expect(log).toEqual(['sent c1', 'sent c2']);
    vi.advanceTimersByTime(60_000);
    expect(log).toEqual(['sent c1', 'sent c2']);
  });
});
