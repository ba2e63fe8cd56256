import { describe, expect, it } from 'vitest';
import { downloadFile } from './deliver-file.ts';

describe('saving an export', () => {
  it('goes through the downloads API when the browser gives it, so Firefox saves a PDF without opening a tab', async () => {
    const asked: Array<{ url: string; filename: string }> = [];
    const bytes = new TextEncoder().encode('%PDF-1.7 …');
    await downloadFile(bytes, 'application/pdf', '2023-01-23 - Socialudvalget - Dagsorden med noter.pdf', {
      download: async (options) => {
        asked.push(options);
        // The file is read from the URL while the download runs: it must still be there.
        const blob = await (await fetch(options.url)).blob();
        expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
        expect(blob.type).toBe('application/pdf');
        return 1;
      },
    });
    expect(asked).toEqual([{ url: expect.stringMatching(/^blob:/), filename: '2023-01-23 - Socialudvalget - Dagsorden med noter.pdf' }]);
  });

  it('reports a download the browser refuses', async () => {
    const refused = downloadFile(new Uint8Array([1]), 'text/csv', 'x.csv', {
      download: () => Promise.reject(new Error('Invalid filename')),
    });
    await expect(refused).rejects.toThrow('Invalid filename');
  });
});
