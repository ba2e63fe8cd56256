/**
 * Suites that need a part of the machine (system-parts.ts) are wrapped in `needs(part)`: without
 * the part their tests are counted as skipped (and none of their hooks runs), never as passed or
 * crashed, and the suite's name says why; with CI=true (RANDNOTER_TEST_REQUIRE_ALL) they run, and
 * fail.
 */
import { describe, it } from 'vitest';
import { missingParts, partsRequired, type SystemPartId } from './system-parts.ts';

/** Why the suite cannot run here ("chromiumPolicy: not possible here: run the tests as root …"), or null. */
const whyNot = (parts: readonly SystemPartId[]): string | null => {
  if (partsRequired) return null;
  const missing = missingParts();
  const reasons = parts.filter((part) => missing.has(part)).map((part) => `${part}: ${missing.get(part)}`);
  return reasons.length > 0 ? reasons.join('; ') : null;
};

/** `describe`, skipped when one of `parts` is missing, with the reason in its name. */
export const needs = (...parts: SystemPartId[]) => {
  const reason = whyNot(parts);
  return (name: string, body: () => void): void => {
    describe.skipIf(reason !== null)(reason ? `${name} (skipped: ${reason})` : name, body);
  };
};

/** `it`, skipped when one of `parts` is missing: for the tests of a suite that need a part the others do not. */
export const needsTest = (...parts: SystemPartId[]): ReturnType<typeof it.skipIf> => it.skipIf(whyNot(parts) !== null);
