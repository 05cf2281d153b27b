import v8 from 'node:v8';
const what = process.argv[2];
if (what) await import(what);
globalThis.gc?.();
await new Promise(r=>setTimeout(r,500));
const mu = process.memoryUsage();
console.log(what, 'rss', (mu.rss/1048576).toFixed(1), 'heapTotal', (mu.heapTotal/1048576).toFixed(1), 'used', (mu.heapUsed/1048576).toFixed(1), 'ext', (mu.external/1048576).toFixed(1), 'ab', (mu.arrayBuffers/1048576).toFixed(1));
for (const s of v8.getHeapSpaceStatistics()) console.log(' ', s.space_name, (s.space_size/1048576).toFixed(1), (s.space_used_size/1048576).toFixed(1));
