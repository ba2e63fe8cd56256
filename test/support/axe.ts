/**
 * axe-core's accessibility check in a page or frame. Its source is evaluated through the
 * DevTools protocol, which the extension pages' Content-Security-Policy does not stop (a script
 * tag would be refused). Only what axe rates serious or critical is returned.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  /** CSS selectors of the elements concerned, with axe's summary of what to fix. */
  nodes: string[];
}

export async function seriousViolations(where: Page | Frame): Promise<AxeViolation[]> {
  await where.evaluate(AXE_SOURCE);
  return where.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    type Violation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> };
    return (result.violations as Violation[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? '',
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
      }));
  });
}
