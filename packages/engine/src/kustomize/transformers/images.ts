import { EngineError } from '../../errors.ts';
import { isJsonObject, type JsonValue } from '../../patch/json-value.ts';
import { readSlot, visitFieldSpec, writeSlot } from '../field-spec.ts';
import { IMAGES } from '../field-specs.ts';
import { mergeFieldSpecs } from '../transformer-config.ts';
import type { ImageEntry } from '../kustomization.ts';
import type { ResMap } from '../res-map.ts';

/** Splits `registry:5000/name:tag@digest` into name, tag and digest (a port is not a tag). */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  const slash = image.indexOf('/');
  const offset = slash > 0 ? slash : 0;
  const rest = image.slice(offset);
  const at = rest.indexOf('@');
  const colon = rest.indexOf(':');
  if (at < 0 && colon < 0) return { name: image, tag: '', digest: '' };
  if (at >= 0 && (colon < 0 || at < colon)) {
    return { name: image.slice(0, offset + at), tag: '', digest: image.slice(offset + at + 1) };
  }
  if (at >= 0) {
    return {
      name: image.slice(0, offset + colon),
      tag: image.slice(offset + colon + 1, offset + at),
      digest: image.slice(offset + at + 1),
    };
  }
  return { name: image.slice(0, offset + colon), tag: image.slice(offset + colon + 1), digest: '' };
}

function matcher(name: string): RegExp | undefined {
  try {
    // The image name is a regex to kustomize, unescaped.
    return new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`);
  } catch {
    return undefined;
  }
}

export function updateImage(value: string, image: ImageEntry): string {
  if (!matcher(image.name)?.test(value)) return value;
  let { name, tag, digest } = splitImage(value);
  if (image.newName) name = image.newName;
  if (image.newTag && image.digest) {
    tag = image.newTag;
    digest = image.digest;
  } else if (image.newTag) {
    tag = image.newTag;
    digest = '';
  } else if (image.digest) {
    tag = '';
    digest = image.digest;
  } else if (image.tagSuffix) {
    tag += image.tagSuffix;
    digest = '';
  }
  return `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

/** Every `containers`/`initContainers` list anywhere in the object (kustomize's legacy pass). */
function visitContainerLists(value: JsonValue, visit: (containers: JsonValue[]) => void): void {
  if (Array.isArray(value)) {
    for (const element of value) visitContainerLists(element, visit);
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, field] of Object.entries(value)) {
    visitContainerLists(field, visit);
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(field)) visit(field);
  }
}

/**
 * `images:` entry: rewrites matching container images, first wherever a containers list is
 * found, then at the configured paths (kustomize runs both passes).
 */
export function setImage(resmap: ResMap, image: ImageEntry, where: string): void {
  for (const resource of resmap.resources) {
    if (resource.kind === 'CustomResourceDefinition') continue;
    visitContainerLists(resource.object, (containers) => {
      for (const container of containers) {
        if (isJsonObject(container) && typeof container.image === 'string') {
          container.image = updateImage(container.image, image);
        }
      }
    });
    for (const spec of mergeFieldSpecs(IMAGES, resmap.config.images, where)) {
      visitFieldSpec(
        resource.object,
        spec,
        undefined,
        (slot) => {
          const value = readSlot(slot);
          if (value === undefined) return;
          if (typeof value !== 'string') {
            throw new EngineError('KustomizeFailed', `${where}: image must be a string`, where);
          }
          writeSlot(slot, updateImage(value, image));
        },
        where,
      );
    }
  }
}
