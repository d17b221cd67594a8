import { CST, Composer, Lexer, LineCounter, Parser } from 'yaml';
import type { DocumentOptions, ParseOptions, SchemaOptions, Tags, YAMLError } from 'yaml';
import { EngineError } from '../errors.ts';
import type { RenderBudget } from './limits.ts';
import { limitExceeded } from './limits.ts';

/**
 * kubectl and Fleet read YAML with go-yaml v2, i.e. YAML 1.1: `0644` is octal (a file mode of
 * 420, not 644), `on`/`yes` are booleans and `<<` merges maps. The 1.2 core schema would
 * silently change such values, so we parse 1.1 too, minus the tags go-yaml hands over as plain
 * strings (timestamps, sexagesimal numbers) or that have no JSON form (binary, sets, ordered maps).
 */
const DROPPED_TAGS = new Set([
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
]);

const DROPPED_TAG_IDS = new Set([
  'binary',
  'omap',
  'pairs',
  'set',
  'timestamp',
  'intTime',
  'floatTime',
]);

function kubectlCompatibleTags(tags: Tags): Tags {
  return tags.filter((tag) =>
    typeof tag === 'string'
      ? !DROPPED_TAG_IDS.has(tag)
      : !DROPPED_TAGS.has(tag.tag) && !('format' in tag && tag.format === 'TIME'),
  );
}

const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: kubectlCompatibleTags,
  uniqueKeys: true,
  prettyErrors: false,
};

/**
 * Parses every document of one file into plain JSON values (`null` for an empty document),
 * spending the bundle's document budget and enforcing its depth and alias limits.
 * Documents are composed one at a time so a stream of millions of `---` stops at the limit.
 */
export function parseYamlDocuments(text: string, file: string, budget: RenderBudget): unknown[] {
  const { limits } = budget;
  const lineCounter = new LineCounter();
  const composer = new Composer(YAML_OPTIONS);
  const tokens = depthGuardedTokens(text, file, lineCounter, limits.maxDepth);
  const values: unknown[] = [];

  for (const document of composer.compose(tokens)) {
    const index = values.length + 1;
    budget.spendDocument(file);
    const where = `${file}: document ${index}`;
    const [error] = document.errors;
    if (error) {
      if (error.code === 'RESOURCE_EXHAUSTION') {
        throw limitExceeded(
          file,
          `document ${index} nests deeper than maxDepth (${limits.maxDepth})`,
        );
      }
      throw new EngineError('YamlInvalid', `${where}: ${describe(error, lineCounter)}`, file);
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (cause) {
      if (cause instanceof ReferenceError) {
        throw limitExceeded(
          file,
          `document ${index} expands too many YAML aliases (maxAliasCount ${limits.maxAliasCount})`,
        );
      }
      if (cause instanceof RangeError) {
        throw limitExceeded(
          file,
          `document ${index} nests deeper than maxDepth (${limits.maxDepth})`,
        );
      }
      throw cause;
    }
    values.push(toPlainJson(value, 1, { file, index, maxDepth: limits.maxDepth }));
  }
  return values;
}

/**
 * Feeds the parser token by token, refusing a document as soon as its nesting is visibly too
 * deep. The guard must come before the parser: its memory grows by kilobytes per open level,
 * so 200 KB of "[" would exhaust a worker's heap before any later check ran. Counting flow
 * brackets and the block indicators ("- - -") on one line gives a lower bound of the depth,
 * so this never refuses what the exact check on the parsed value would accept.
 */
function* depthGuardedTokens(
  text: string,
  file: string,
  lineCounter: LineCounter,
  maxDepth: number,
): Generator<CST.Token> {
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  let flowDepth = 0;
  let indicatorsOnLine = 0;
  let isScalarSource = false;
  for (const lexeme of new Lexer().lex(text)) {
    if (isScalarSource) isScalarSource = false;
    else if (lexeme === CST.SCALAR) isScalarSource = true;
    else if (lexeme === '[' || lexeme === '{') flowDepth += 1;
    else if (lexeme === ']' || lexeme === '}') flowDepth = Math.max(0, flowDepth - 1);
    else if (lexeme === '-' || lexeme === '?') indicatorsOnLine += 1;
    else if (lexeme === '\n' || lexeme === '\r\n') indicatorsOnLine = 0;
    else if (lexeme === CST.DOCUMENT || lexeme === '---' || lexeme === '...') flowDepth = 0;
    if (flowDepth + indicatorsOnLine > maxDepth) {
      const { line } = lineCounter.linePos(parser.offset);
      throw limitExceeded(file, `nesting at line ${line} is deeper than maxDepth (${maxDepth})`);
    }
    yield* parser.next(lexeme);
  }
  yield* parser.end();
}

/**
 * The same guard for callers that parse with parseAllDocuments themselves (kustomize): lexes
 * the text once and refuses it when its nesting is visibly deeper than maxDepth, before any
 * parser allocates per level.
 */
export function assertNestingWithin(text: string, file: string, maxDepth: number): void {
  const lineCounter = new LineCounter();
  for (const token of depthGuardedTokens(text, file, lineCounter, maxDepth)) void token;
}

function describe(error: YAMLError, lineCounter: LineCounter): string {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  return `${error.message} (line ${line}, column ${col})`;
}

interface WalkContext {
  file: string;
  index: number;
  maxDepth: number;
}

/**
 * Copies a parsed value into fresh plain objects. The copy matters: aliases make the `yaml`
 * library return shared sub-objects, and the namespace and overlay steps mutate objects, so a
 * shared `metadata` would otherwise change in two places at once.
 */
function toPlainJson(value: unknown, depth: number, context: WalkContext): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw yamlInvalid(context, `${value} has no JSON form`);
    }
    return value;
  }
  if (depth > context.maxDepth) {
    throw limitExceeded(
      context.file,
      `document ${context.index} nests deeper than maxDepth (${context.maxDepth})`,
    );
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown) => toPlainJson(item, depth + 1, context));
  }
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // A "__proto__" key (legal in a ConfigMap) must stay data, not become the prototype.
      Object.defineProperty(copy, key, {
        value: toPlainJson(item, depth + 1, context),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  throw yamlInvalid(context, `a ${typeof value} value has no JSON form`);
}

function yamlInvalid({ file, index }: WalkContext, message: string): EngineError {
  return new EngineError('YamlInvalid', `${file}: document ${index}: ${message}`, file);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
