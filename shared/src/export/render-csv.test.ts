import { describe, expect, it } from 'vitest';
import { csvCell, csvSeparator, renderCsv } from './render-csv.ts';
import { hostileModel, sampleModel } from './testing/render-sample.ts';
import { HOSTILE } from './testing/sample-packet.ts';

/** RFC 4180 parsing (with the given separator), enough to read back what the exporter writes. */
function parseCsv(csv: string, separator = ';'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i] as string;
    if (quoted && ch === '"' && csv[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && ch === '"') {
      quoted = false;
    } else if (quoted) {
      cell += ch;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === separator) {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && csv[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += ch;
    }
  }
  return rows;
}

describe('CSV export', () => {
  it('has one row per note and reply, with item, attachment, page, quote, note, author, time, kind and status', () => {
    const csv = renderCsv(sampleModel());
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(csv.slice(1));
    expect(header).toEqual([
      'Afsnit',
      'Punkt',
      'Bilag',
      'Side',
      'Citat',
      'Note',
      'Forfatter',
      'Tid',
      'Type',
      'Status',
      'Placering',
      'Gruppe',
      'Id',
    ]);
    expect(rows.map((r) => r[12])).toEqual(['n-punkt', 'n-bilag', 'n-side', 'n-vaek', 'c-1', 'r-1']);
    expect(rows[0]).toEqual([
      'Overblik: Noter',
      'Punkt 1: Budget 2027',
      '',
      '2',
      'hæve taksterne',
      'Spørg om **beløbet**\nAnden linje',
      'Anne Jensen',
      '2023-01-20 09:00',
      'Note',
      'Åben',
      'fundet',
      '',
      'n-punkt',
    ]);
    expect(rows[3]?.slice(3, 11)).toEqual([
      '',
      'denne sætning findes ikke længere i pakken',
      'Stod der før',
      'Anne Jensen',
      '2023-01-20 12:00',
      'Note',
      'Åben',
      'ikke fundet',
    ]);
    expect(rows[5]).toEqual([
      'Overblik: Delte kommentarer',
      'Punkt 1: Budget 2027',
      'Bilag 1: Notat om takster',
      '3',
      'alle borgere',
      'Ja, se side 3.',
      'Anne Jensen',
      '2023-01-21 14:00',
      'Svar',
      'Åben',
      'fundet',
      'Socialudvalget',
      'r-1',
    ]);
    expect(rows[4]?.[9]).toBe('Løst');
  });

  it('neutralises formulas in every cell and keeps hostile text intact otherwise', () => {
    const rows = parseCsv(renderCsv(hostileModel()).slice(1));
    for (const row of rows) for (const cell of row) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    const bodies = rows.slice(1).map((r) => r[5]);
    expect(bodies).toContain("'=cmd|' /C calc'!A0");
    expect(bodies).toContain("'@SUM(A1:A2)");
    expect(bodies).toContain(HOSTILE[0]);
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a;b')).toBe('"a;b"');
  });

  it('separates cells with semicolons in Danish, as Danish Excel expects, and with commas in English', () => {
    const danish = renderCsv(sampleModel('da'));
    expect(danish.startsWith('\uFEFFAfsnit;Punkt;Bilag;Side;Citat;Note;Forfatter;Tid;Type;Status;Placering;Gruppe;Id\r\n')).toBe(true);
    // Read with the other separator, every row would be one cell: the Danish file has no bare comma.
    expect(parseCsv(danish.slice(1), ',').every((row) => row.length === 1)).toBe(true);
    const english = renderCsv(sampleModel('en'));
    expect(english.startsWith('\uFEFFSection,Item,Attachment,Page,Quote,Note,Author,Time,Kind,Status,Place,Group,Id\r\n')).toBe(true);
    const rows = parseCsv(english.slice(1), csvSeparator('en'));
    expect(rows.every((row) => row.length === 13)).toBe(true);
    expect(rows[1]?.[5]).toBe('Spørg om **beløbet**\nAnden linje');
  });
});
