// Resident memory and CPU time of a process, read from /proc (Linux), and percentiles.
import { readFile } from 'node:fs/promises';

export interface ProcessSample {
  /** Bytes resident. */
  rss: number;
  /** User + system CPU seconds since the process started. */
  cpuSeconds: number;
}

/** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux build that matters here. */
const CLK_TCK = 100;

export function processSampler(pid: number): { now(): Promise<ProcessSample> } {
  return {
    async now() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
      // Fields after the command name, which may contain spaces, hence the split at ')'.
      const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      const ticks = Number(stat[11]) + Number(stat[12]); // utime, stime (fields 14 and 15)
      return { rss: rssKb * 1024, cpuSeconds: ticks / CLK_TCK };
    },
  };
}

/** The p-th percentile (nearest rank) of the finite values. */
export function percentile(values: number[], p: number): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))]!;
}
