import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MachineLoad } from './proc-stats.ts';

/** The value below which `share` (0..1) of the samples fall (nearest rank). */
export function percentile(samples: readonly number[], share: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[rank]!;
}

export interface PhaseRecord {
  name: string;
  seconds: number;
  /** CPU seconds spent by each of our processes during the phase. */
  cpuSeconds: Record<string, number>;
  load: MachineLoad;
  /** Anything else measured in the phase. */
  details: Record<string, unknown>;
}

export interface Figure {
  id: string;
  what: string;
  value: number | null;
  unit: string;
  target: string;
  isMet: boolean | null;
  note?: string;
}

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  command: string;
  clusters: number;
  bundles: number;
  readyDelayMs: number;
  machine: {
    cores: number;
    memoryBytes: number;
    node: string;
    loadAtStart: MachineLoad;
    /** Postgres settings that shape the figures; `vacuumEvery` when the bench stood in for autovacuum. */
    postgres?: Record<string, string>;
  };
  workerEnv: Record<string, string>;
  /** Worker processes for each P2 run (`--workers`); the first count ran every other phase. */
  workerProcesses?: number[];
  figures: Figure[];
  phases: PhaseRecord[];
  errors: string[];
}

function formatValue(figure: Figure): string {
  if (figure.value === null) return 'n/a';
  const digits = Math.abs(figure.value) >= 100 ? 0 : Math.abs(figure.value) >= 10 ? 1 : 2;
  return `${figure.value.toFixed(digits)} ${figure.unit}`.trim();
}

export function renderTable(results: BenchResults): string {
  const rows = results.figures.map((figure) => [
    figure.id,
    figure.what,
    formatValue(figure),
    figure.target,
    figure.isMet === null ? '-' : figure.isMet ? 'met' : 'MISSED',
  ]);
  const header = ['', 'figure', 'measured', 'target', ''];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  const phases = results.phases.map((phase) => {
    const cpu = Object.entries(phase.cpuSeconds)
      .filter(([, seconds]) => seconds >= 0.05)
      .map(([name, seconds]) => `${name} ${seconds.toFixed(1)}`)
      .join(', ');
    const load = phase.load.loadAverage.map((value) => value.toFixed(1)).join(' ');
    return `  ${phase.name.padEnd(16)} ${phase.seconds.toFixed(1).padStart(7)} s  machine busy ${(phase.load.busyShare * 100).toFixed(0)}%, load ${load}; cpu s: ${cpu}`;
  });
  const notes = results.figures.flatMap((figure) =>
    figure.note ? [`  ${figure.id}: ${figure.note}`] : [],
  );
  const start = results.machine.loadAtStart.loadAverage.map((value) => value.toFixed(1)).join(' ');
  return [
    `Flotilla bench: ${results.clusters} clusters x ${results.bundles} bundles, ready delay ${results.readyDelayMs} ms`,
    `machine: ${results.machine.cores} cores, ${(results.machine.memoryBytes / 2 ** 30).toFixed(0)} GiB, node ${results.machine.node}; load average at start ${start}`,
    ...(results.machine.postgres
      ? [
          `postgres: ${Object.entries(results.machine.postgres)
            .map(([key, value]) => `${key}=${value}`)
            .join(' ')}`,
        ]
      : []),
    `worker: ${Object.entries(results.workerEnv)
      .map(([key, value]) => `${key.replace(/^FLOTILLA_/, '')}=${value}`)
      .join(' ')}`,
    '',
    line(header),
    line(header.map((_, column) => '-'.repeat(widths[column]!))),
    ...rows.map(line),
    ...(notes.length > 0 ? ['', 'notes:', ...notes] : []),
    '',
    'phases (wall time, share of both cores busy machine-wide, load average at the end, CPU seconds of our processes):',
    ...phases,
    ...(results.errors.length > 0
      ? ['', 'errors:', ...results.errors.map((error) => `  ${error}`)]
      : []),
  ].join('\n');
}

/**
 * Results go to `<file>.tmp` after every phase (git-ignored, so a killed run leaves what it
 * measured) and to `<file>` when the run completes.
 */
export function saveResults(
  file: string,
  results: BenchResults,
  { isFinal }: { isFinal: boolean },
): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const text = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(`${file}.tmp`, text);
  if (isFinal) renameSync(`${file}.tmp`, file);
}
