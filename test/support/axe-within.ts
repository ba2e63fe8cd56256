/**
 * axe-core's check of one part of a page (the elements matching a selector, with what they
 * contain): for a test of one component on a page whose other parts are other tests' concern.
 * Its source is evaluated through the DevTools protocol, which the extension pages'
 * Content-Security-Policy does not stop (a script tag would be refused); only serious and critical findings.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  /** CSS selectors of the elements concerned, with axe's summary of what to fix. */
  nodes: string[];
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function seriousViolationsWithin(page: Page, selector: string): Promise<AxeViolation[]> {
  if ((await page.locator(selector).count()) === 0) throw new Error(`nothing matches ${selector}: there is nothing to check`);
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (include) => {
    type Violation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> };
    const axe = (globalThis as unknown as { axe: { run(context: object, options: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run({ include: [[include]] }, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? '',
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
      }));
  }, selector);
}
