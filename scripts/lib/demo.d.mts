// Types of demo.mjs for the TypeScript that imports it (e2e/demo.test.ts).
export declare const DEMO_REPO_PATHS: string[];

export interface PreparedDemo {
  /** FLOTILLA_ALLOW_FILE_GIT_URLS, FLOTILLA_DEMO_REPO_URL, FLOTILLA_DEMO_PATHS, FLOTILLA_DEMO_FLEET_FILE. */
  env: Record<string, string>;
  /** Arguments of packages/kube-sim/src/cli.ts. */
  simArgs: string[];
}

export declare function prepareDemo(options?: {
  stateDir?: string;
  sharedDir?: string;
  fleetFile?: string;
  clusters?: string;
}): PreparedDemo;
