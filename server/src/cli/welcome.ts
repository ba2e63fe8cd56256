/** What `npm start` prints: where everything is, and how to sign in. */
export interface Welcome {
  url: string;
  token: string | null;
  groupId: string | null;
  /** Where the data is (a file path, or a PostgreSQL URL without its password). */
  database: string;
  extensionDir: string | null;
  demo: boolean;
}

export function printWelcome(w: Welcome, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): void {
  out('');
  out(`Randnoter server: ${w.url}   (database ${w.database}; stop with Ctrl-C)`);
  if (w.extensionDir) {
    out('');
    out('Load the extension:');
    out(`  Chrome/Edge: chrome://extensions → Developer mode → Load unpacked → ${w.extensionDir}/chrome-mv3`);
    out(`  Firefox:     about:debugging#/runtime/this-firefox → Load Temporary Add-on → ${w.extensionDir}/firefox-mv3/manifest.json`);
  }
  out('');
  out('Sign in: open the extension\'s options ("Indstillinger") and enter');
  out(`  Serveradresse: ${w.url}`);
  if (w.token) {
    out(`  Token:         ${w.token}`);
    out(`  (a first user was created${w.groupId ? ` in group "${w.groupId}"` : ''}; the token is shown only now)`);
  } else {
    out('  Token:         your token (new ones: npm run randnoter -- admin token add <user-id>)');
  }
  if (w.demo) {
    out('');
    out(`Demo packet: ${w.url}/demo/packet.pdf  (revised version: ${w.url}/demo/packet.v2.pdf, agenda page: ${w.url}/demo/agenda.html)`);
    out('  Open it, then click the Randnoter button in the toolbar.');
  }
  out('');
}
