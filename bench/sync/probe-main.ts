setInterval(() => {
  const m = process.memoryUsage();
  console.error(
    'MEM',
    Object.entries(m)
      .map(([k, v]) => `${k}=${(v / 1048576).toFixed(1)}`)
      .join(' '),
  );
}, 2000).unref();
await import('../../server/src/main.ts');
