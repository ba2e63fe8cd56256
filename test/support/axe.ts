/**
 * axe-core's accessibility check in a page or frame, or in one part of it (`within`: the elements
 * matching a selector, with what they contain, for a test of one component whose page's other
 * parts are other tests' concern). Its source is evaluated through the DevTools protocol, which
 * the extension pages' Content-Security-Policy does not stop (a script tag would be refused).
 * Only what axe rates serious or critical is returned.
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

export async function seriousViolations(where: Page | Frame, within?: string): Promise<AxeViolation[]> {
  if (within !== undefined && (await where.locator(within).count()) === 0)
    throw new Error(`nothing matches ${within}: there is nothing to check`);
  await where.evaluate(AXE_SOURCE);
  return where.evaluate(async (include) => {
    type Violation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> };
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(include === null ? document : { include: [[include]] }, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? '',
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
      }));
  }, within ?? null);
}
