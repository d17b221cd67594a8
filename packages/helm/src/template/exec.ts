/**
 * The executor of Go's text/template (exec.go) over the value model of values.ts.
 *
 * Go tells apart an invalid reflect.Value ("no value") from a nil interface{} held in a map or
 * slice, and the difference is visible: `.a.b` with `a` missing is "<no value>" under
 * missingkey=default but "nil pointer evaluating interface {}.b" under Helm's missingkey=zero.
 * Here `undefined` is the invalid value and `null` the nil interface; a pipeline's result turns
 * `null` into `undefined`, as Go's evalPipeline does.
 */
import {
  NodeKind,
  nodeString,
  type ArgNode,
  type BranchNode,
  type CommandNode,
  type ListNode,
  type Node,
  type PipeNode,
  type TemplateNode,
  type Tree,
  type VariableNode,
  type FieldNode,
  type ChainNode,
  type IdentifierNode,
} from './ast.ts';
import { builtins } from './builtins.ts';
import { TemplateExecError } from './errors.ts';
import { formatPrintable, formatValue, goQuote, utf8Bytes } from './fmt.ts';
import { goTypeName, isPlainObject, isTruthy, sortedKeys, toGoKind } from './values.ts';

export type MissingKey = 'default' | 'zero' | 'error';

/** A template function: any JS function; its arguments follow the value model (nil is null). */
export type TemplateFunction = (...args: never[]) => unknown;
export type FuncMap = Record<string, TemplateFunction>;

/** What the executor needs from the set it runs in. */
export interface ExecContext {
  lookup(name: string): Tree | undefined;
  func(name: string): TemplateFunction | undefined;
  readonly missingKey: MissingKey;
}

const MISSING = Symbol('missing');

const goSignatureKey = Symbol('go signature');
interface GoSignature {
  arity: number;
  variadic: boolean;
}

/**
 * Declares the Go signature of a template function so that a call with the wrong number of
 * arguments fails before the call, as Go's does ("wrong number of args for NAME: want 2 got
 * 1"). `arity` counts the fixed parameters; a variadic function takes that many or more.
 * Without it, a function gets whatever arguments the template passes.
 */
export function withGoSignature<F extends TemplateFunction>(
  fn: F,
  arity: number,
  variadic = false,
): F {
  Object.defineProperty(fn, goSignatureKey, { value: { arity, variadic } satisfies GoSignature });
  return fn;
}
type Final = unknown;

const enum Ctl {
  None,
  Break,
  Continue,
}

const maxExecDepth = 100000;

interface Variable {
  name: string;
  value: unknown;
  /** The value sits in an interface{} slot (a range element): its type reads "interface {}". */
  iface: boolean;
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return formatValue(e);
}

/**
 * V8's stack overflow (a RangeError, or a SyntaxError when a regex compile overflows). Checked
 * with a plain string comparison: at the limit, even compiling a regex can overflow again.
 */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof Error && e.message.endsWith('Maximum call stack size exceeded');
}

function byteColumn(text: string, from: number, to: number): number {
  let ascii = true;
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  return ascii ? to - from : utf8Bytes(text.slice(from, to)).length;
}

export class State {
  out = '';
  private node: Node | null = null;
  private vars: Variable[];
  private depth = 0;
  private dotIface = false;
  /** Set by evalField: whether the value it returned came from an interface{} slot. */
  private lastIface = false;

  constructor(
    private readonly ctx: ExecContext,
    private tmpl: Tree,
    data: unknown,
  ) {
    this.vars = [{ name: '$', value: data, iface: false }];
  }

  run(dot: unknown): string {
    this.walk(dot, this.tmpl.root);
    return this.out;
  }

  // ---- errors ----

  errorf(msg: string): never {
    const name = this.tmpl.name;
    const n = this.node;
    if (n === null) throw new TemplateExecError(`template: ${name}: ${msg}`, name, 0, 0);
    const text = this.tmpl.text;
    const pos = n.pos;
    const lastNL = text.lastIndexOf('\n', pos - 1);
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
    const col = byteColumn(text, lastNL < 0 ? 0 : lastNL + 1, pos);
    const location = `${this.tmpl.parseName}:${line}:${col}`;
    const err = new TemplateExecError(
      `template: ${location}: executing ${goQuote(name)} at <${nodeString(n)}>: ${msg}`,
      name,
      line,
      col,
    );
    throw err;
  }

  // ---- variables ----

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) {
        v.value = value;
        v.iface = false;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: unknown, iface: boolean): void {
    const v = this.vars[this.vars.length - n] as Variable;
    v.value = value;
    v.iface = iface;
  }

  private varEntry(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) return v;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // ---- walk ----

  private walk(dot: unknown, node: Node): Ctl {
    this.node = node;
    switch (node.kind) {
      case NodeKind.Text:
        this.out += node.text;
        return Ctl.None;
      case NodeKind.Action: {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return Ctl.None;
      }
      case NodeKind.List:
        return this.walkList(dot, node);
      case NodeKind.If:
      case NodeKind.With:
        return this.walkIfOrWith(dot, node);
      case NodeKind.Range:
        return this.walkRange(dot, node);
      case NodeKind.Template:
        this.walkTemplate(dot, node);
        return Ctl.None;
      case NodeKind.Break:
        return Ctl.Break;
      case NodeKind.Continue:
        return Ctl.Continue;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkList(dot: unknown, list: ListNode): Ctl {
    const nodes = list.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const ctl = this.walk(dot, nodes[i] as Node);
      if (ctl !== Ctl.None) return ctl;
    }
    return Ctl.None;
  }

  private walkIfOrWith(dot: unknown, node: BranchNode): Ctl {
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, node.pipe);
    let ctl = Ctl.None;
    if (isTruthy(val)) {
      if (node.kind === NodeKind.With) {
        const saved = this.dotIface;
        this.dotIface = false;
        ctl = this.walk(val, node.list);
        this.dotIface = saved;
      } else {
        ctl = this.walk(dot, node.list);
      }
    } else if (node.elseList !== null) {
      ctl = this.walk(dot, node.elseList);
    }
    this.vars.length = mark;
    return ctl;
  }

  private walkRange(dot: unknown, r: BranchNode): Ctl {
    this.node = r;
    const outerMark = this.vars.length;
    const val = this.evalPipeline(dot, r.pipe);
    const mark = this.vars.length;
    const decl = r.pipe.decl;
    let ran = false;
    if (Array.isArray(val)) {
      for (let i = 0; i < val.length; i++) {
        ran = true;
        const elem: unknown = val[i];
        if (this.rangeIteration(r, mark, BigInt(i), elem ?? null, true) === Ctl.Break) break;
      }
    } else if (typeof val === 'bigint') {
      if (decl.length > 1) this.errorf(`can't use ${val} to iterate over more than one variable`);
      for (let i = 0n; i < val; i++) {
        ran = true;
        if (this.rangeIteration(r, mark, i, i, false) === Ctl.Break) break;
      }
    } else if (isPlainObject(val)) {
      for (const key of sortedKeys(val)) {
        ran = true;
        const elem = val[key];
        if (this.rangeIteration(r, mark, key, elem ?? null, true) === Ctl.Break) break;
      }
    } else if (val !== undefined && val !== null) {
      this.errorf(`range can't iterate over ${formatValue(val)}`);
    }
    if (!ran && r.elseList !== null) this.walk(dot, r.elseList);
    this.vars.length = outerMark;
    return Ctl.None;
  }

  /** One pass of a range body: sets the range's variables and dot, then walks the body. */
  private rangeIteration(
    r: BranchNode,
    mark: number,
    index: unknown,
    elem: unknown,
    elemIface: boolean,
  ): Ctl {
    const decl = r.pipe.decl;
    if (decl.length > 0) {
      if (r.pipe.isAssign) {
        const first = (decl[0] as VariableNode).ident[0] as string;
        this.setVar(first, decl.length > 1 ? index : elem);
      } else {
        this.setTopVar(1, elem, elemIface);
      }
    }
    if (decl.length > 1) {
      if (r.pipe.isAssign) this.setVar((decl[1] as VariableNode).ident[0] as string, elem);
      else this.setTopVar(2, index, false);
    }
    const savedIface = this.dotIface;
    this.dotIface = elemIface;
    const ctl = this.walk(elem, r.list);
    this.dotIface = savedIface;
    this.vars.length = mark;
    return ctl;
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.node = t;
    const tmpl = this.ctx.lookup(t.name);
    if (tmpl === undefined) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth === maxExecDepth)
      this.errorf(`exceeded maximum template depth (${maxExecDepth})`);
    const newDot = t.pipe === null ? undefined : this.evalPipeline(dot, t.pipe);
    const savedVars = this.vars;
    const savedTmpl = this.tmpl;
    const savedIface = this.dotIface;
    this.vars = [{ name: '$', value: newDot, iface: false }];
    this.tmpl = tmpl;
    this.dotIface = false;
    this.depth++;
    try {
      this.walk(newDot, tmpl.root);
    } catch (e) {
      // JS runs out of stack long before Go's depth limit: report it where Go would, at the
      // {{template}} that recursed (an inner frame may itself overflow; an outer one succeeds).
      if (!isStackOverflow(e)) throw e;
      this.tmpl = savedTmpl;
      this.node = t;
      this.errorf(`exceeded maximum template depth (${maxExecDepth})`);
    }
    this.depth--;
    this.vars = savedVars;
    this.tmpl = savedTmpl;
    this.dotIface = savedIface;
  }

  // ---- eval ----

  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.node = pipe;
    let value: unknown = MISSING;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i] as CommandNode, value);
      // A nil interface{} becomes "no value", as Go's reflect.ValueOf(value.Interface()).
      if (value === null) value = undefined;
    }
    const decl = pipe.decl;
    for (let i = 0; i < decl.length; i++) {
      const name = (decl[i] as VariableNode).ident[0] as string;
      if (pipe.isAssign) this.setVar(name, value);
      else this.vars.push({ name, value, iface: false });
    }
    return value;
  }

  private notAFunction(args: readonly ArgNode[] | null, final: Final): void {
    if ((args !== null && args.length > 1) || final !== MISSING) {
      const what = args === null ? '' : nodeString(args[0] as ArgNode);
      this.errorf(`can't give argument to non-function ${what}`);
    }
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0] as ArgNode;
    switch (first.kind) {
      case NodeKind.Field:
        return this.evalFieldNode(dot, first, cmd.args, final);
      case NodeKind.Chain:
        return this.evalChainNode(dot, first, cmd.args, final);
      case NodeKind.Identifier:
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case NodeKind.Pipe:
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case NodeKind.Variable:
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case NodeKind.Bool:
        return first.value;
      case NodeKind.Dot:
        return dot;
      case NodeKind.Nil:
        return this.errorf('nil is not a command');
      case NodeKind.Number:
        if (first.overflow) this.errorf(`${first.text} overflows int`);
        return first.value;
      case NodeKind.String:
        return first.text;
    }
  }

  private evalFieldNode(
    dot: unknown,
    field: FieldNode,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    this.node = field;
    return this.evalFieldChain(dot, dot, this.dotIface, field, field.ident, 0, args, final);
  }

  private evalChainNode(
    dot: unknown,
    chain: ChainNode,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    this.node = chain;
    if (chain.node.kind === NodeKind.Nil) {
      this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    }
    let pipe = this.evalArg(dot, chain.node);
    if (pipe === null) pipe = undefined;
    return this.evalFieldChain(dot, pipe, false, chain, chain.field, 0, args, final);
  }

  private evalVariableNode(
    dot: unknown,
    variable: VariableNode,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    this.node = variable;
    const entry = this.varEntry(variable.ident[0] as string);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return entry.value;
    }
    return this.evalFieldChain(
      dot,
      entry.value,
      entry.iface,
      variable,
      variable.ident,
      1,
      args,
      final,
    );
  }

  private evalFieldChain(
    dot: unknown,
    receiver: unknown,
    iface: boolean,
    node: Node,
    ident: readonly string[],
    from: number,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    const n = ident.length;
    for (let i = from; i < n - 1; i++) {
      receiver = this.evalField(dot, ident[i] as string, node, null, MISSING, receiver, iface);
      iface = this.lastIface;
    }
    return this.evalField(dot, ident[n - 1] as string, node, args, final, receiver, iface);
  }

  private evalField(
    dot: unknown,
    fieldName: string,
    node: Node,
    args: readonly ArgNode[] | null,
    final: Final,
    receiver: unknown,
    iface: boolean,
  ): unknown {
    this.lastIface = false;
    if (receiver === undefined) {
      if (this.ctx.missingKey === 'error')
        this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    const kind = toGoKind(receiver);
    if (kind === 'map') {
      const m = receiver as Record<string, unknown>;
      if (Object.hasOwn(m, fieldName)) {
        const v = m[fieldName];
        if (typeof v === 'function')
          return this.evalCall(dot, v, m, false, node, fieldName, args, final);
        if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
        this.lastIface = true;
        return v === undefined ? null : v;
      }
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      switch (this.ctx.missingKey) {
        case 'default':
          return undefined;
        case 'zero':
          this.lastIface = true;
          return null;
        case 'error':
          this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
      }
    }
    if (
      kind === 'struct' &&
      fieldName in (receiver as object) &&
      !(fieldName in Object.prototype)
    ) {
      const v: unknown = (receiver as Record<string, unknown>)[fieldName];
      if (typeof v === 'function')
        return this.evalCall(dot, v, receiver, false, node, fieldName, args, final);
      if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
      if (v === undefined || v === null) {
        this.lastIface = true;
        return null;
      }
      return v;
    }
    this.errorf(
      `can't evaluate field ${fieldName} in type ${iface ? 'interface {}' : goTypeName(receiver)}`,
    );
  }

  private evalFunction(
    dot: unknown,
    node: IdentifierNode,
    cmd: Node,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    this.node = node;
    const name = node.ident;
    const fn = this.ctx.func(name);
    if (fn !== undefined) return this.evalCall(dot, fn, undefined, false, cmd, name, args, final);
    const argc = (args === null ? 0 : args.length - 1) + (final === MISSING ? 0 : 1);
    const given = args === null ? 0 : args.length - 1;
    switch (name) {
      case 'and':
      case 'or': {
        if (argc < 1) this.errorf(`wrong number of args for ${name}: want at least 1 got ${given}`);
        const isOr = name === 'or';
        let v: unknown = undefined;
        if (args !== null) {
          for (let i = 1; i < args.length; i++) {
            v = this.evalArg(dot, args[i] as ArgNode);
            if (isTruthy(v) === isOr) return v;
          }
        }
        if (final !== MISSING) v = final;
        return v;
      }
      case 'call': {
        if (argc < 1) this.errorf(`wrong number of args for call: want at least 1 got ${given}`);
        const argv = this.evalArgs(dot, args, final);
        const callee = argv[0];
        const calleeName =
          args !== null && args.length > 1 ? nodeString(args[1] as ArgNode) : 'final';
        this.node = cmd;
        if (callee === null) this.errorf('error calling call: call of nil');
        if (typeof callee !== 'function') {
          this.errorf(
            `error calling call: non-function ${calleeName} of type ${goTypeName(callee)}`,
          );
        }
        return this.invoke(callee as TemplateFunction, undefined, argv.slice(1), cmd, 'call');
      }
    }
    const b = builtins[name];
    if (b === undefined) this.errorf(`${goQuote(name)} is not a defined function`);
    if (b.variadic ? argc < b.arity : argc !== b.arity) {
      this.errorf(
        b.variadic
          ? `wrong number of args for ${name}: want at least ${b.arity} got ${given}`
          : `wrong number of args for ${name}: want ${b.arity} got ${argc}`,
      );
    }
    const argv = this.evalArgs(dot, args, final);
    this.node = cmd;
    try {
      return b.fn(argv);
    } catch (e) {
      if (e instanceof TemplateExecError || isStackOverflow(e)) throw e;
      this.node = cmd;
      this.errorf(`error calling ${name}: ${errorMessage(e)}`);
    }
  }

  private evalArgs(dot: unknown, args: readonly ArgNode[] | null, final: Final): unknown[] {
    const argv: unknown[] = [];
    if (args !== null) {
      for (let i = 1; i < args.length; i++) {
        const v = this.evalArg(dot, args[i] as ArgNode);
        argv.push(v === undefined ? null : v);
      }
    }
    if (final !== MISSING) argv.push(final === undefined ? null : final);
    return argv;
  }

  private evalCall(
    dot: unknown,
    fn: unknown,
    thisArg: unknown,
    _isBuiltin: boolean,
    node: Node,
    name: string,
    args: readonly ArgNode[] | null,
    final: Final,
  ): unknown {
    const signature = (fn as { [goSignatureKey]?: GoSignature })[goSignatureKey];
    if (signature !== undefined) {
      const given = args === null ? 0 : args.length - 1;
      const argc = given + (final === MISSING ? 0 : 1);
      if (signature.variadic ? argc < signature.arity : argc !== signature.arity) {
        this.errorf(
          signature.variadic
            ? `wrong number of args for ${name}: want at least ${signature.arity} got ${given}`
            : `wrong number of args for ${name}: want ${signature.arity} got ${argc}`,
        );
      }
    }
    const argv = this.evalArgs(dot, args, final);
    return this.invoke(fn as TemplateFunction, thisArg, argv, node, name);
  }

  private invoke(
    fn: TemplateFunction,
    thisArg: unknown,
    argv: unknown[],
    node: Node,
    name: string,
  ): unknown {
    let v: unknown;
    try {
      v = Reflect.apply(fn, thisArg, argv);
    } catch (e) {
      // A stack overflow is not the function's error: let the outermost execute report it.
      if (isStackOverflow(e)) throw e;
      this.node = node;
      this.errorf(`error calling ${name}: ${errorMessage(e)}`);
    }
    return v === undefined ? null : v;
  }

  private evalArg(dot: unknown, n: ArgNode): unknown {
    this.node = n;
    switch (n.kind) {
      case NodeKind.Dot:
        return dot;
      case NodeKind.Nil:
        return null;
      case NodeKind.Field:
        return this.evalFieldNode(dot, n, null, MISSING);
      case NodeKind.Variable:
        return this.evalVariableNode(dot, n, null, MISSING);
      case NodeKind.Pipe:
        return this.evalPipeline(dot, n);
      case NodeKind.Identifier:
        return this.evalFunction(dot, n, n, null, MISSING);
      case NodeKind.Chain:
        return this.evalChainNode(dot, n, null, MISSING);
      case NodeKind.Bool:
        return n.value;
      case NodeKind.Number:
        if (n.overflow) this.errorf(`${n.text} overflows int`);
        return n.value;
      case NodeKind.String:
        return n.text;
    }
  }

  private printValue(n: Node, v: unknown): void {
    this.node = n;
    if (v === undefined || v === null) {
      this.out += '<no value>';
      return;
    }
    if (typeof v === 'function') this.errorf(`can't print ${nodeString(n)} of type func`);
    this.out += formatPrintable(v);
  }
}
