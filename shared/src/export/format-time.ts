/**
 * Times for people in exports: `2023-01-23 14:05`, the same in Danish and English, in a given
 * time zone (the host's by default). Built from Intl parts so that no locale's punctuation leaks in.
 *
 * One formatter per export, not per note: each Intl.DateTimeFormat holds about 25 KB of ICU memory
 * outside the JS heap, which the garbage collector does not count; one per note of a 10,000-note
 * export took 260 MB of the process's memory.
 */
export function timeFormatter(timeZone?: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  });
  return (iso) => {
    const date = new Date(iso);
    if (!iso || Number.isNaN(date.getTime())) return '';
    const parts = format.formatToParts(date);
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
  };
}
