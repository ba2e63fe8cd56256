/** Resident memory of a process (Linux /proc), for the memory bounds of the security tests. */
import { readFileSync, writeFileSync } from 'node:fs';

/** Current (VmRSS) and peak (VmHWM) resident set size, in MiB. */
export function residentMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(/^\S+:\s+(\d+) kB$/m.exec(status.split('\n').find((l) => l.startsWith(`${field}:`)) ?? '')?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** Starts the peak (VmHWM) over from the current resident size, so a test reads the peak of its own attack. */
export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
