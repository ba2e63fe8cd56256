/**
 * Preloaded into a server under test for the memory scenario (see RETAINED_MEMORY_ARGS in
 * harness.ts): on SIGUSR2 it collects garbage fully and prints on stderr one line
 * `retained-memory {"heapUsed":…,"external":…,"rss":…}`, so memory a server holds can be told
 * from garbage it has not collected yet. Plain JavaScript: Hocuspocus runs on Node 20.
 */
process.on('SIGUSR2', () => {
  // Twice: the first collection's finalizers (native buffers, statements) free more for the second.
  globalThis.gc();
  globalThis.gc();
  const { heapUsed, external, rss } = process.memoryUsage();
  process.stderr.write(`retained-memory ${JSON.stringify({ heapUsed, external, rss })}\n`);
});
