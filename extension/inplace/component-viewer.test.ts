import { describe, expect, it } from 'vitest';
import { askingOnce, fetchedAddresses, fetchedPdfUrl, hasPdfHeader, MAX_CANDIDATES, startsAsPdf } from './component-viewer.ts';

const entry = (name: string, initiatorType = 'fetch') => ({ name, initiatorType }) as unknown as PerformanceEntry;
const bytes = (text: string) => new TextEncoder().encode(text);

describe("finding a component viewer's file among the page's requests", () => {
  it('takes the latest fetch or XHR named .pdf without asking', async () => {
    const asked: string[] = [];
    const url = await fetchedPdfUrl(
      [
        entry('https://portal.example/a.pdf'),
        entry('https://portal.example/b.PDF', 'xmlhttprequest'),
        entry('https://portal.example/api/x'),
      ],
      async (u) => {
        asked.push(u);
        return false;
      },
    );
    expect(url).toBe('https://portal.example/b.PDF');
    expect(asked).toEqual([]);
  });

  it('asks about other addresses, latest first, and takes the first that is a PDF', async () => {
    const asked: string[] = [];
    const url = await fetchedPdfUrl(
      [
        entry('https://portal.example/Document.ashx?id=7'),
        entry('https://portal.example/api/user'),
        entry('https://portal.example/style.css', 'link'),
      ],
      async (u) => {
        asked.push(u);
        return u.includes('Document.ashx');
      },
    );
    expect(url).toBe('https://portal.example/Document.ashx?id=7');
    expect(asked).toEqual(['https://portal.example/api/user', 'https://portal.example/Document.ashx?id=7']);
  });

  it('is unsure (null) when no request is a PDF, and never looks at other schemes or initiators', async () => {
    expect(
      await fetchedPdfUrl([entry('data:application/pdf,x'), entry('https://portal.example/x.pdf', 'img')], async () => true),
    ).toBeNull();
    expect(await fetchedPdfUrl([entry('https://portal.example/api/user')], async () => false)).toBeNull();
  });

  it('looks at a bounded number of the latest requests, each once', () => {
    const many = Array.from({ length: 50 }, (_, i) => entry(`https://portal.example/api/${i % 30}`));
    const addresses = fetchedAddresses(many);
    expect(addresses).toHaveLength(MAX_CANDIDATES);
    expect(addresses[0]).toBe('https://portal.example/api/19');
    expect(new Set(addresses).size).toBe(MAX_CANDIDATES);
  });

  it('knows a PDF by its header in the first 1,024 bytes, as pdf.js does', () => {
    expect(hasPdfHeader(bytes('%PDF-1.7\n…'))).toBe(true);
    expect(hasPdfHeader(bytes(`${' '.repeat(500)}%PDF-1.4`))).toBe(true);
    expect(hasPdfHeader(bytes(`${' '.repeat(1100)}%PDF-1.4`))).toBe(false);
    expect(hasPdfHeader(bytes('<!doctype html><title>Log ind</title>'))).toBe(false);
  });

  it('reads only the start of an answer: content type or header, and stops the download', async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = (first: string) =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(pulled === 1 ? bytes(first) : new Uint8Array(64 * 1024));
        },
        cancel() {
          cancelled = true;
        },
      });
    const answer = (body: ReadableStream<Uint8Array>, type: string, status = 200) =>
      (async () => new Response(body, { status, headers: { 'content-type': type } })) as unknown as typeof fetch;

    expect(await startsAsPdf('https://portal.example/f', answer(endless('%PDF-1.7\n'), 'application/octet-stream'))).toBe(true);
    expect(pulled).toBeLessThan(5);
    expect(await startsAsPdf('https://portal.example/f', answer(endless('x'), 'application/pdf; qs=1'))).toBe(true);
    pulled = 0;
    expect(await startsAsPdf('https://portal.example/f', answer(endless('<html>'.repeat(200)), 'text/html'))).toBe(false);
    expect(pulled).toBeLessThan(5);
    expect(cancelled).toBe(true);
    expect(await startsAsPdf('https://portal.example/f', answer(endless('%PDF-1.7'), 'application/pdf', 403))).toBe(false);
    const refused = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(await startsAsPdf('https://portal.example/f', refused)).toBe(false);
  });

  it('asks about an address once', async () => {
    let asked = 0;
    const isPdf = askingOnce(async () => {
      asked++;
      return false;
    });
    await Promise.all([isPdf('https://a.example/x'), isPdf('https://a.example/x')]);
    await isPdf('https://a.example/x');
    expect(asked).toBe(1);
  });
});
