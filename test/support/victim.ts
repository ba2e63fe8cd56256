/**
 * An honest user measured while an attack runs (see victim-probe.ts): start it, run the attack,
 * stop it, and read the relay and /health latency it saw.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProbeOptions, ProbeResult } from './victim-probe.ts';

const PROBE = fileURLToPath(new URL('./victim-probe.ts', import.meta.url));

export interface VictimReport {
  relayP99: number;
  relayMax: number;
  healthP99: number;
  healthMax: number;
  relaySamples: number;
  healthSamples: number;
  relayLost: number;
  healthFailed: number;
  /** Close codes the victim's own sockets saw (none expected). */
  closed: number[];
}

export interface Victim {
  stop(): Promise<VictimReport>;
}

/** One line for the test log, so a run shows what was measured, not only that it passed. */
export function describeReport(what: string, r: VictimReport, grewMiB?: number): string {
  const ms = (n: number) => n.toFixed(1);
  const memory = grewMiB === undefined ? '' : `, memory +${grewMiB.toFixed(0)} MiB`;
  return `[security] ${what}: victim relay p99 ${ms(r.relayP99)} ms (max ${ms(r.relayMax)}, ${r.relaySamples} samples), /health p99 ${ms(r.healthP99)} ms${memory}`;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Starts the probe and resolves once both of its sockets are open and it is measuring. */
export async function startVictim(
  options: Pick<ProbeOptions, 'wsUrl' | 'httpUrl' | 'token'> & Partial<Pick<ProbeOptions, 'room' | 'intervalMs' | 'giveUpMs'>>,
): Promise<Victim> {
  const full: ProbeOptions = { room: 'notes/victim-probe', intervalMs: 20, giveUpMs: 5_000, ...options };
  const child = spawn(process.execPath, [PROBE, JSON.stringify(full)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const outcome = new Promise<ProbeResult>((resolve, reject) => {
    child.on('message', (message: { result?: ProbeResult; error?: string }) => {
      if (message.result) resolve(message.result);
      else if (message.error) reject(new Error(`victim probe failed: ${message.error}`));
    });
    child.once('exit', (code) => reject(new Error(`victim probe exited (${code}) without a result`)));
  });
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message: { ready?: boolean; error?: string }) => {
      if (message.ready) resolve();
      else if (message.error) reject(new Error(`victim probe failed to start: ${message.error}`));
    });
    child.once('exit', (code) => reject(new Error(`victim probe exited (${code}) before starting`)));
  });
  return {
    async stop() {
      child.send('stop');
      const r = await outcome;
      return {
        relayP99: percentile(r.relay, 99),
        relayMax: Math.max(...r.relay),
        healthP99: percentile(r.health, 99),
        healthMax: Math.max(...r.health),
        relaySamples: r.relay.length,
        healthSamples: r.health.length,
        relayLost: r.relayLost,
        healthFailed: r.healthFailed,
        closed: r.closed,
      };
    },
  };
}
