import { describe, expect, it } from 'vitest';
import { normaliseUrl } from './normalise-url.ts';

describe('URL normalisation', () => {
  it('lower-cases scheme and host, drops default ports and fragments, sorts the query', () => {
    expect(normaliseUrl('HTTPS://Dagsorden.Aarhus.DK:443/moede/pakke.pdf?b=2&a=1#page=3')).toBe(
      'https://dagsorden.aarhus.dk/moede/pakke.pdf?a=1&b=2',
    );
    expect(normaliseUrl('http://example.dk:80/x')).toBe('http://example.dk/x');
    expect(normaliseUrl('http://example.dk:8080/x')).toBe('http://example.dk:8080/x');
  });

  it('drops tracking, session and token parameters but keeps the ones that name the document', () => {
    const url = 'https://ex.dk/vis?id=42&utm_source=mail&fbclid=abc&token=s3cret&SessionId=9&access_token=x&version=2&jsessionid=1';
    expect(normaliseUrl(url)).toBe('https://ex.dk/vis?id=42&version=2');
    expect(normaliseUrl('https://ex.dk/vis;jsessionid=ABC123?id=1')).toBe('https://ex.dk/vis?id=1');
  });

  it('treats links that differ only by visit as the same packet', () => {
    const a = normaliseUrl('https://ex.dk/p.pdf?id=7&utm_campaign=x#side=2');
    const b = normaliseUrl('https://EX.dk/p.pdf?sid=123&id=7');
    expect(a).toBe(b);
  });

  it('removes credentials and refuses what is not a web or file URL', () => {
    expect(normaliseUrl('https://user:pw@ex.dk/p.pdf')).toBe('https://ex.dk/p.pdf');
    expect(normaliseUrl('javascript:alert(1)')).toBeNull();
    expect(normaliseUrl('not a url')).toBeNull();
  });

  it('keeps the path and the values of kept parameters as they are, and sorts repeated names by value', () => {
    expect(normaliseUrl('https://ex.dk/Moeder/Pakke.PDF?b=2&a=z&a=y')).toBe('https://ex.dk/Moeder/Pakke.PDF?a=y&a=z&b=2');
    expect(normaliseUrl('https://ex.dk/vis?q=%C3%A6ldre%20omr%C3%A5de')).toBe(normaliseUrl('https://ex.dk/vis?q=ældre+område'));
  });

  it('drops an empty query and keeps file URLs and non-default ports', () => {
    expect(normaliseUrl('https://ex.dk/p.pdf?')).toBe('https://ex.dk/p.pdf');
    expect(normaliseUrl('https://ex.dk/p.pdf?utm_medium=mail&gclid=1')).toBe('https://ex.dk/p.pdf');
    expect(normaliseUrl('file:///home/anne/pakke.pdf#page=3')).toBe('file:///home/anne/pakke.pdf');
    expect(normaliseUrl('https://[::1]:8443/p.pdf')).toBe('https://[::1]:8443/p.pdf');
  });

  it('drops signed-URL parameters that change with every download', () => {
    expect(normaliseUrl('https://bucket.s3.amazonaws.com/p.pdf?X-Amz-Signature=abc&X-Amz-Date=20230101&X-Amz-Expires=60&id=9')).toBe(
      'https://bucket.s3.amazonaws.com/p.pdf?id=9',
    );
  });
});
