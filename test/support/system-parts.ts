/**
 * What the tests need from the machine besides Node and the npm packages: browsers, the programs
 * that read exported files back, and the database servers of the PostgreSQL project. `npm test`
 * (test/run.ts) installs what is missing when it may (root, Debian or Ubuntu), and tells the
 * tests what it could not have in RANDNOTER_TEST_MISSING (see needs.ts).
 */
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

export interface SystemPart {
  /** Debian packages that bring it (none: it is not a package). */
  packages: string[];
  /** What cannot run without it, for the line that says so. */
  for: string;
  /** How to get it, when it is not a package to install. */
  remedy?: string;
  present(): boolean;
}

/** Where Chromium on Linux reads the machine's policies (docs/DEPLOYMENT.md). */
export const CHROMIUM_POLICY_DIR = '/etc/chromium/policies/managed';

/** Whether this process may write `dir`, or make it (its nearest existing parent is writable). */
function canWrite(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(at)) {
      try {
        accessSync(at, constants.W_OK);
        return true;
      } catch {
        return false;
      }
    }
    if (dirname(at) === at) return false;
  }
}

/** An executable on PATH (what a shell would find). */
export function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The newest PostgreSQL server binaries of Debian's packages, if any. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  return newest ? join(root, newest, 'bin') : null;
}

export const SYSTEM_PARTS = {
  chromium: {
    packages: ['chromium'],
    for: 'the end-to-end and host-page tests in Chromium',
    present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
  },
  firefox: {
    packages: ['firefox-esr'],
    for: 'the Firefox test',
    present: () => existsSync(process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'),
  },
  poppler: {
    packages: ['poppler-utils'],
    for: 'the checks of exported PDFs (pdftotext, pdfinfo, pdffonts)',
    present: () => onPath('pdftotext') && onPath('pdfinfo') && onPath('pdffonts'),
  },
  libreoffice: {
    packages: ['libreoffice-writer-nogui'],
    for: 'opening exported DOCX files in LibreOffice Writer',
    present: () => onPath('soffice'),
  },
  chromiumPolicy: {
    packages: [],
    for: 'the managed-configuration test (a Chromium policy file)',
    remedy: `run the tests as root (they write and remove a file in ${CHROMIUM_POLICY_DIR})`,
    present: () => canWrite(CHROMIUM_POLICY_DIR),
  },
  postgres: {
    packages: ['postgresql'],
    for: 'the server tests on PostgreSQL and the several-process tests',
    present: () => postgresBin() !== null,
  },
  redis: {
    packages: ['redis-server'],
    for: 'the several-process tests (and with them the PostgreSQL project)',
    present: () => onPath('redis-server'),
  },
} as const satisfies Record<string, SystemPart>;

export type SystemPartId = keyof typeof SYSTEM_PARTS;

/**
 * Parts the tests must do without, with the reason: what test/run.ts found, or (vitest started
 * by hand) what is not on this machine.
 */
export function missingParts(): Map<SystemPartId, string> {
  const told = process.env.RANDNOTER_TEST_MISSING;
  if (told !== undefined) return new Map(Object.entries(JSON.parse(told) as Record<string, string>) as Array<[SystemPartId, string]>);
  const missing = new Map<SystemPartId, string>();
  for (const [id, part] of Object.entries(SYSTEM_PARTS) as Array<[SystemPartId, SystemPart]>) {
    if (!part.present())
      missing.set(
        id,
        part.remedy ? `not possible here: ${part.remedy}` : `not installed (Debian: apt-get install ${part.packages.join(' ')})`,
      );
  }
  return missing;
}

/** With CI=true a missing part is a failure, not a skip. */
export const partsRequired = process.env.RANDNOTER_TEST_REQUIRE_ALL === '1' || process.env.CI === 'true';
