import { isEmptySelector, selectorToText } from '../../client/selectors.ts';
import type { LabelSelector, Target } from '@/client/types.ts';

/** One target as the editor holds it: selectors as text, every field possibly blank. */
export interface TargetDraft {
  /** Stable React key across reorders; never sent. */
  key: string;
  name: string;
  clusterName: string;
  clusterSelector: string;
  /** An explicit empty selector: every cluster (the text form cannot say it). */
  isEveryCluster: boolean;
  clusterGroup: string;
  clusterGroupSelector: string;
}

/** A target as sent to the API: blank fields left out, selectors in the string syntax. */
export interface TargetPayload {
  name?: string;
  clusterName?: string;
  clusterSelector?: string | LabelSelector;
  clusterGroup?: string;
  clusterGroupSelector?: string;
}

let counter = 0;
export function newDraftKey(): string {
  counter += 1;
  return `target-${counter}`;
}

export function emptyDraft(): TargetDraft {
  return {
    key: newDraftKey(),
    name: '',
    clusterName: '',
    clusterSelector: '',
    isEveryCluster: false,
    clusterGroup: '',
    clusterGroupSelector: '',
  };
}

export function targetToDraft(target: Target): TargetDraft {
  return {
    key: newDraftKey(),
    name: target.name ?? '',
    clusterName: target.clusterName ?? '',
    clusterSelector: selectorToText(target.clusterSelector),
    isEveryCluster: target.clusterSelector !== undefined && isEmptySelector(target.clusterSelector),
    clusterGroup: target.clusterGroup ?? '',
    clusterGroupSelector: selectorToText(target.clusterGroupSelector),
  };
}

export function draftToPayload(draft: TargetDraft): TargetPayload {
  const payload: TargetPayload = {};
  if (draft.name.trim()) payload.name = draft.name.trim();
  if (draft.clusterName.trim()) payload.clusterName = draft.clusterName.trim();
  if (draft.isEveryCluster) payload.clusterSelector = {};
  else if (draft.clusterSelector.trim()) payload.clusterSelector = draft.clusterSelector.trim();
  if (draft.clusterGroup.trim()) payload.clusterGroup = draft.clusterGroup.trim();
  if (draft.clusterGroupSelector.trim())
    payload.clusterGroupSelector = draft.clusterGroupSelector.trim();
  return payload;
}

/** True when the target says nothing yet about which clusters (only, perhaps, a name). */
export function isBlankPayload(payload: TargetPayload): boolean {
  return (
    payload.clusterName === undefined &&
    payload.clusterSelector === undefined &&
    payload.clusterGroup === undefined &&
    payload.clusterGroupSelector === undefined
  );
}

export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length || from === to) return [...items];
  const next = [...items];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

/**
 * The preview leaves out targets still blank (a just-added row should not fail the whole
 * preview); this maps the preview's target indexes back to the editor's.
 */
export function previewRequest(drafts: readonly TargetDraft[]): {
  targets: TargetPayload[];
  editorIndex: number[];
} {
  const targets: TargetPayload[] = [];
  const editorIndex: number[] = [];
  drafts.forEach((draft, index) => {
    const payload = draftToPayload(draft);
    if (isBlankPayload(payload)) return;
    targets.push(payload);
    editorIndex.push(index);
  });
  return { targets, editorIndex };
}
