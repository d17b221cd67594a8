import { describe, expect, it } from 'vitest';
import type { ImageEntry } from '../kustomization.ts';
import { splitImage, updateImage } from './images.ts';

describe('splitImage', () => {
  it.each([
    ['nginx', { name: 'nginx', tag: '', digest: '' }],
    ['nginx:1.25', { name: 'nginx', tag: '1.25', digest: '' }],
    ['registry:5000/team/app', { name: 'registry:5000/team/app', tag: '', digest: '' }],
    ['registry:5000/team/app:v1', { name: 'registry:5000/team/app', tag: 'v1', digest: '' }],
    ['app@sha256:abc', { name: 'app', tag: '', digest: 'sha256:abc' }],
    ['app:v1@sha256:abc', { name: 'app', tag: 'v1', digest: 'sha256:abc' }],
  ])('%s', (image, expected) => {
    expect(splitImage(image)).toEqual(expected);
  });
});

describe('updateImage', () => {
  const entry = (fields: Partial<ImageEntry>): ImageEntry => ({ name: 'app', ...fields });
  it.each<[string, Partial<ImageEntry>, string]>([
    ['app:v1', { newTag: 'v2' }, 'app:v2'],
    ['app:v1@sha256:old', { newTag: 'v2' }, 'app:v2'],
    ['app:v1', { digest: 'sha256:new' }, 'app@sha256:new'],
    ['app:v1', { newTag: 'v2', digest: 'sha256:new' }, 'app:v2@sha256:new'],
    ['app:v1', { newName: 'ghcr.io/o/app' }, 'ghcr.io/o/app:v1'],
    ['app:v1', { tagSuffix: '-debug' }, 'app:v1-debug'],
    ['application:v1', { newTag: 'v2' }, 'application:v1'],
    ['other/app:v1', { newTag: 'v2' }, 'other/app:v1'],
  ])('%s with %j gives %s', (image, fields, expected) => {
    expect(updateImage(image, entry(fields))).toBe(expected);
  });
});
