/**
 * A set of associated templates: Go's *template.Template with its namespace, as Helm uses it
 * (every chart file parsed into one set, then each file executed by name).
 */
import type { Tree } from './ast.ts';
import { isEmptyTree } from './ast.ts';
import { builtins, specialBuiltins } from './builtins.ts';
import { TemplateExecError } from './errors.ts';
import {
  State,
  isStackOverflow,
  type ExecContext,
  type FuncMap,
  type MissingKey,
  type TemplateFunction,
} from './exec.ts';
import { goQuote } from './fmt.ts';
import { parseTemplates } from './parse.ts';

export interface TemplateSetOptions {
  /**
   * The function map, or a factory given the set it serves: Helm's `include` and `tpl` need
   * the executing set, and a clone gets functions bound to the clone.
   */
  funcs?: FuncMap | ((set: TemplateSet) => FuncMap);
  /**
   * Go's missingkey option: 'default' (a missing key is "no value", and so is a field of it),
   * 'zero' (Helm: the zero value, nil; a field of it fails with "nil pointer evaluating"), or
   * 'error' (Helm's --strict and lint: "map has no entry for key"). Default: 'zero'.
   */
  missingKey?: MissingKey;
  /** The set's own name, as errors quote it ("no template X associated with template NAME"). */
  name?: string;
}

export interface ExecuteOptions {
  /** Replace every "<no value>" in the output by "", as Helm does with each rendered file. */
  replaceNoValue?: boolean;
}

let activeExecutions = 0;

export class TemplateSet implements ExecContext {
  readonly missingKey: MissingKey;
  readonly name: string;
  private readonly trees: Map<string, Tree>;
  private readonly funcFactory: FuncMap | ((set: TemplateSet) => FuncMap);
  private readonly funcs: FuncMap;

  constructor(options: TemplateSetOptions = {}, trees?: Map<string, Tree>) {
    this.missingKey = options.missingKey ?? 'zero';
    this.name = options.name ?? 'gotpl';
    this.trees = trees ?? new Map();
    this.funcFactory = options.funcs ?? {};
    this.funcs = typeof this.funcFactory === 'function' ? this.funcFactory(this) : this.funcFactory;
  }

  /** Go's findFunction: the set's functions first, then the builtins. */
  func(name: string): TemplateFunction | undefined {
    return Object.hasOwn(this.funcs, name) ? this.funcs[name] : undefined;
  }

  private hasFunction = (name: string): boolean =>
    Object.hasOwn(this.funcs, name) || Object.hasOwn(builtins, name) || specialBuiltins.has(name);

  lookup(name: string): Tree | undefined {
    return this.trees.get(name);
  }

  has(name: string): boolean {
    return this.trees.has(name);
  }

  /** The names of the templates in the set, sorted. */
  names(): string[] {
    return [...this.trees.keys()].sort();
  }

  /**
   * Parses `text` as the template `name` and adds it and its `define`s to the set. As in Go, a
   * template replaces an earlier one of the same name, unless the new one is empty (a file of
   * only defines does not erase a template of its name). Throws TemplateParseError.
   */
  parse(name: string, text: string): this {
    const parsed = parseTemplates(name, text, this.hasFunction);
    for (const [treeName, tree] of parsed) {
      const old = this.trees.get(treeName);
      if (old !== undefined && isEmptyTree(tree.root)) continue;
      this.trees.set(treeName, tree);
    }
    return this;
  }

  /** Executes the template `name` with `data` as dot and `$`. Throws TemplateExecError. */
  execute(name: string, data: unknown, options: ExecuteOptions = {}): string {
    const tree = this.trees.get(name);
    if (tree === undefined) {
      throw new TemplateExecError(
        `template: no template ${goQuote(name)} associated with template ${goQuote(this.name)}`,
        name,
        0,
        0,
      );
    }
    const dot = data === null ? undefined : data;
    const state = new State(this, tree, dot);
    activeExecutions++;
    let out: string;
    try {
      out = state.run(dot);
    } catch (e) {
      // JS has a smaller stack than Go's 100000 nested templates; the outermost execution
      // reports the overflow as Go reports its depth limit.
      if (activeExecutions === 1 && isStackOverflow(e)) {
        throw new TemplateExecError(
          `template: ${name}: exceeded maximum template depth (100000)`,
          name,
          0,
          0,
        );
      }
      throw e;
    } finally {
      activeExecutions--;
    }
    return options.replaceNoValue ? out.replaceAll('<no value>', '') : out;
  }

  /**
   * A copy of the set (Go's Clone); functions from a factory are rebuilt for the copy. With
   * `funcs`, the copy gets those instead (Go's Clone().Funcs(...)): parse a chart once, then
   * clone it per render with that render's functions (its lookup, its random seed). Parsing
   * checked the function names then; a name missing at execution fails as Go does.
   */
  clone(options: Pick<TemplateSetOptions, 'funcs'> = {}): TemplateSet {
    return new TemplateSet(
      { funcs: options.funcs ?? this.funcFactory, missingKey: this.missingKey, name: this.name },
      new Map(this.trees),
    );
  }

  /**
   * Parses `text` as template `name` in a clone of the set and executes it: what Helm's `tpl`
   * does, so the text sees the set's defines and its own defines do not leak into the set.
   */
  parseAndExecute(name: string, text: string, data: unknown, options: ExecuteOptions = {}): string {
    return this.clone().parse(name, text).execute(name, data, options);
  }
}
