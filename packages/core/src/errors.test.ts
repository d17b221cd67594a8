import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { updateClusterInput } from './clusters/schemas.ts';
import { toFieldErrors } from './errors.ts';

const form = z
  .object({
    name: z.string().min(1),
    code: z.string().min(3).max(5),
    replicas: z.number().int().min(1).max(10),
    mode: z.enum(['push', 'pull']),
    isPaused: z.boolean(),
    paths: z.array(z.string()).min(1),
    homepage: z.url(),
    note: z.string().min(1, 'a note, please'),
  })
  .strict();

function errorsOf(schema: z.ZodType, input: unknown) {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected a failure');
  return toFieldErrors(parsed.error.issues);
}

describe('toFieldErrors puts zod in plain words, naming the field', () => {
  it.each([
    ['a missing field', { name: undefined }, 'name', 'is required'],
    ['the wrong type', { name: 5 }, 'name', 'must be text'],
    ['an empty string', { name: '' }, 'name', 'must not be empty'],
    ['a short string', { code: 'ab' }, 'code', 'must be at least 3 characters'],
    ['a long string', { code: 'abcdef' }, 'code', 'must be at most 5 characters'],
    ['a fraction', { replicas: 1.5 }, 'replicas', 'must be a whole number'],
    ['a small number', { replicas: 0 }, 'replicas', 'must be at least 1'],
    ['a big number', { replicas: 11 }, 'replicas', 'must be at most 10'],
    ['an unknown option', { mode: 'pul' }, 'mode', 'must be one of "push", "pull"'],
    ['not a boolean', { isPaused: 'yes' }, 'isPaused', 'must be true or false'],
    ['an empty list', { paths: [] }, 'paths', 'must have at least 1 item'],
    ['a bad URL', { homepage: 'not a url' }, 'homepage', 'must be a valid URL'],
    ['a message the schema wrote', { note: '' }, 'note', 'a note, please'],
    ['a misspelt field', { nmae: 'x' }, 'nmae', 'is not a field this accepts (check its spelling)'],
  ])('%s', (_, input, path, message) => {
    expect(errorsOf(form, input)).toContainEqual({ path, message });
  });

  it('names a bad label key and says what a key must be', () => {
    const errors = errorsOf(updateClusterInput, { labels: { 'bad key!': 'x' } });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('labels.bad key!');
    expect(errors[0]!.message).toMatch(/^the key "bad key!" is not valid: the name part must be/);
  });

  it('keeps array indexes in brackets under a prefix', () => {
    const parsed = z.array(z.object({ port: z.number() })).safeParse([{ port: 1 }, { port: 'x' }]);
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(toFieldErrors(parsed.error.issues, 'targets')).toEqual([
      { path: 'targets[1].port', message: 'must be a number' },
    ]);
  });
});
