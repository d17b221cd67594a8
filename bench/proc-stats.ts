import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/*
 * What the kernel says about our processes (Linux /proc): CPU seconds and memory. The bench runs
 * on a shared 2-core machine, so it records where the CPU went, not only how long things took.
 */

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat, 100 on every Linux we run on. */
const CLOCK_TICKS = 100;

interface ProcStat {
  pid: number;
  processGroup: number;
  cpuSeconds: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields start after the last ")".
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const processGroup = Number(fields[2]);
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  return { pid, processGroup, cpuSeconds: cpuTicks / CLOCK_TICKS };
}

export function cpuSecondsOf(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (readStat(pid)?.cpuSeconds ?? 0), 0);
}

/** Every live process of a process group (a detached child and what it spawned). */
export function processGroupMembers(group: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat?.processGroup === group) members.push(stat.pid);
  }
  return members;
}

export interface Memory {
  /** Resident set now (VmRSS), bytes. */
  rssBytes: number;
  /** Highest resident set so far (VmHWM), bytes. */
  peakRssBytes: number;
}

export function memoryOf(pid: number): Memory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rssBytes: kib('VmRSS') * 1024, peakRssBytes: kib('VmHWM') * 1024 };
}

export interface MachineLoad {
  loadAverage: [number, number, number];
  /** Share of both cores busy since the previous sample (all processes, ours or not). */
  busyShare: number;
}

function cpuTotals(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

/** Samples the machine's load: call `sample()` at the end of each phase. */
export function machineLoadMeter(): { sample: () => MachineLoad } {
  let previous = cpuTotals();
  return {
    sample() {
      const current = cpuTotals();
      const total = current.total - previous.total;
      const busyShare = total > 0 ? (current.busy - previous.busy) / total : 0;
      previous = current;
      const [one, five, fifteen] = loadavg();
      return { loadAverage: [one ?? 0, five ?? 0, fifteen ?? 0], busyShare };
    },
  };
}

/** The first live process whose command line (arguments joined by spaces) satisfies `test`. */
export function findProcess(test: (command: string) => boolean): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let command: string;
    try {
      command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      continue;
    }
    if (test(command)) return Number(entry);
  }
  return undefined;
}

/**
 * CPU seconds per named group of processes between two samples. Processes come and go (a pool
 * opens a Postgres backend): one born since the last sample counts all its CPU time.
 */
export class CpuMeter {
  private readonly last = new Map<string, Map<number, number>>();

  constructor(private readonly groups: Record<string, () => number[] | Promise<number[]>>) {}

  async sample(): Promise<Record<string, number>> {
    const isFirst = this.last.size === 0;
    const spent: Record<string, number> = {};
    for (const [name, pidsOf] of Object.entries(this.groups)) {
      const previous = this.last.get(name) ?? new Map<number, number>();
      const current = new Map<number, number>();
      let seconds = 0;
      for (const pid of await pidsOf()) {
        const cpu = cpuSecondsOf([pid]);
        current.set(pid, cpu);
        seconds += cpu - (previous.get(pid) ?? 0);
      }
      this.last.set(name, current);
      spent[name] = isFirst ? 0 : Math.round(seconds * 10) / 10;
    }
    return spent;
  }
}
