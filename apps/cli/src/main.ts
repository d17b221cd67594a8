import { runRender } from './render-command.ts';
import { runTemplate } from './template-command.ts';

const USAGE = `Usage: flotilla <command> [options]

Commands:
  template CHART   render a Helm chart (folder or .tgz) as \`helm template\` does
  render DIR       print the objects a cluster gets from a bundle folder, as \`fleet test\` does

Run \`flotilla <command> --help\` for its options.
`;

/** The CLI's entry: returns the exit code (0 ok, 1 error). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'template':
      return runTemplate(rest);
    case 'render':
      return runRender(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`Error: unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}
