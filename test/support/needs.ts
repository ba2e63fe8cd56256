/**
 * Suites that need a part of the machine (system-parts.ts) are wrapped in `needs(part)`: without
 * the part their tests are counted as skipped (and none of their hooks runs), never as passed or
 * crashed; with CI=true (RANDNOTER_TEST_REQUIRE_ALL) they run, and fail.
 */
import { describe, it } from 'vitest';
import { missingParts, partsRequired, type SystemPartId } from './system-parts.ts';

const without = (parts: readonly SystemPartId[]): boolean => {
  if (partsRequired) return false;
  const missing = missingParts();
  return parts.some((part) => missing.has(part));
};

/** `describe`, skipped when one of `parts` is missing. */
export const needs = (...parts: SystemPartId[]): ReturnType<typeof describe.skipIf> => describe.skipIf(without(parts));

/** `it`, skipped when one of `parts` is missing: for the tests of a suite that need a part the others do not. */
export const needsTest = (...parts: SystemPartId[]): ReturnType<typeof it.skipIf> => it.skipIf(without(parts));
