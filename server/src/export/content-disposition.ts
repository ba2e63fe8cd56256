/**
 * `Content-Disposition: attachment` for a file name with any characters (RFC 6266): `filename*`
 * carries it exactly, UTF-8 percent-encoded (RFC 8187), and `filename` an ASCII stand-in for
 * clients that know only that (Danish letters spelled out, anything else an underscore).
 */
const SPELLED: Record<string, string> = { æ: 'ae', ø: 'oe', å: 'aa', Æ: 'Ae', Ø: 'Oe', Å: 'Aa' };

export function attachmentDisposition(fileName: string): string {
  const ascii = fileName
    .replace(/[æøåÆØÅ]/g, (ch) => SPELLED[ch] ?? '_')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
