import type { RenderedChart } from './render-chart.ts';
import { INSTALL_ORDER, type Hook, type Manifest } from './sort-manifests.ts';

/** What Flotilla applies for a chart, in order: CRDs, pre-install hooks, manifests, post-install hooks. */
export interface HookPhases {
  crds: { path: string; content: string }[];
  /** pre-install hooks, in Helm's execution order. */
  preInstall: Hook[];
  manifests: Manifest[];
  /** post-install hooks, in Helm's execution order. */
  postInstall: Hook[];
}

const kindRank = (kind: string): number => {
  const i = INSTALL_ORDER.indexOf(kind);
  return i < 0 ? INSTALL_ORDER.length : i;
};

/**
 * Helm runs the hooks of an event by weight, then kind (install order), then name
 * (action.execHook's sort). `test` hooks are never deployed; a hook for both pre-install and
 * pre-upgrade counts as pre-install, since a GitOps apply is always "install-or-upgrade".
 */
export function planHookPhases(rendered: RenderedChart): HookPhases {
  const byPhase = (events: string[]): Hook[] =>
    rendered.hooks
      .filter((h) => !h.events.includes('test') && h.events.some((e) => events.includes(e)))
      .sort(
        (a, b) =>
          a.weight - b.weight ||
          kindRank(a.kind) - kindRank(b.kind) ||
          (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
          (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      );
  return {
    crds: rendered.crds,
    preInstall: byPhase(['pre-install', 'pre-upgrade']),
    manifests: rendered.manifests,
    postInstall: byPhase(['post-install', 'post-upgrade']),
  };
}
