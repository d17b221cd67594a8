import { parseArgs } from 'node:util';
import { templateChart } from '@flotilla/helm';

const HELP = `Usage: flotilla template CHART [NAME] [options]

Renders a chart folder or .tgz and prints the manifests as \`helm template\` does.

Options:
      --release NAME         release name (default "release-name"; also the 2nd argument)
  -n, --namespace NS         release namespace (default "default")
  -f, --values FILE          values file (repeatable; later files win)
      --set K=V              set values (repeatable; Helm's --set syntax)
      --set-string K=V       set string values (repeatable)
      --kube-version V       Kubernetes version for .Capabilities (default v1.32.0)
  -a, --api-versions G/V     extra API versions for .Capabilities (repeatable)
      --skip-tests           leave out test hooks
      --include-crds         print the chart's crds/ first
      --seed S               seed of random functions (randAlphaNum, genCA...): same seed,
                             same output; random when absent
`;

/** `flotilla template`: errors go to stderr with exit code 1. */
export async function runTemplate(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        release: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        values: { type: 'string', short: 'f', multiple: true },
        set: { type: 'string', multiple: true },
        'set-string': { type: 'string', multiple: true },
        'kube-version': { type: 'string' },
        'api-versions': { type: 'string', short: 'a', multiple: true },
        'skip-tests': { type: 'boolean' },
        'include-crds': { type: 'boolean' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`Error: ${(error as Error).message}\n\n${HELP}`);
    return 1;
  }
  const { values: flags, positionals } = parsed;
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  // Helm's order is `template [NAME] CHART`; with --release the one positional is the chart.
  let chart: string | undefined;
  let release = flags.release;
  if (positionals.length === 1) chart = positionals[0];
  else if (positionals.length === 2 && release === undefined) [release, chart] = positionals;
  if (chart === undefined) {
    process.stderr.write(`Error: expected a chart (folder or .tgz)\n\n${HELP}`);
    return 1;
  }
  try {
    const output = await templateChart({
      chart,
      releaseName: release ?? 'release-name',
      namespace: flags.namespace ?? 'default',
      valuesFiles: flags.values,
      set: flags.set,
      setString: flags['set-string'],
      kubeVersion: flags['kube-version'],
      apiVersions: flags['api-versions']?.flatMap((v) => v.split(',')),
      skipTests: flags['skip-tests'],
      includeCrds: flags['include-crds'],
      seed: flags.seed,
    });
    process.stdout.write(output);
    return 0;
  } catch (error) {
    process.stderr.write(`Error: ${(error as Error).message}\n`);
    return 1;
  }
}
