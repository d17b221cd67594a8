export {
  MAX_SHOWN_YAML_CHARS,
  SECRET_MASK,
  showableObject,
  showObjectYaml,
} from './show-object.ts';
export {
  buildResourceTree,
  kindsToFollow,
  MAX_CHILDREN,
  OWNED_KINDS,
  type ResourceTreeNode,
} from './resource-tree.ts';
