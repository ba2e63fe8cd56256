// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { messages } from '../i18n/messages.ts';
import { renderStatus } from './status-line.ts';

const line = (input: Parameters<typeof renderStatus>[2]) => {
  const element = document.createElement('p');
  renderStatus(element, messages('da'), input);
  return element.textContent;
};

describe('the status line', () => {
  it('says what to do when the server cannot be used, and keeps what is waiting in view', () => {
    expect(line({ connection: 'offline', unsaved: 0, problem: 'unreachable' })).toBe(
      'Offline. Serveren svarer ikke – tjek Serveradresse i indstillingerne og din internetforbindelse.',
    );
    expect(line({ connection: 'offline', unsaved: 2, problem: 'token' })).toBe(
      'Offline · 2 venter på at blive gemt. Forkert eller udløbet token – indsæt et nyt i indstillingerne, eller log ind igen.',
    );
    expect(line({ connection: 'offline', unsaved: 2, problem: null })).toBe('Offline · 2 venter på at blive gemt');
  });

  it('drops an old problem once connected', () => {
    expect(line({ connection: 'connected', unsaved: 0, problem: 'unreachable' })).toBe('Forbundet · Gemt');
  });
});
