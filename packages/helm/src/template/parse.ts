/**
 * The parser of Go's text/template (text/template/parse/parse.go), with its error messages.
 * `parseTemplates` returns every tree the text defines: the top-level one under `name` and one
 * per `define`/`block`.
 */
import { TemplateParseError } from './errors.ts';
import { lex, Tok, tokenString } from './lex.ts';
import type { Token } from './lex.ts';
import {
  NodeKind,
  isEmptyTree,
  nodeString,
  type ArgNode,
  type BranchNode,
  type CommandNode,
  type ListNode,
  type MarkerNode,
  type Node,
  type PipeNode,
  type TemplateNode,
  type Tree,
  type VariableNode,
} from './ast.ts';
import { goUnquote, parseNumberLiteral } from './strconv.ts';

class Parser {
  private i = 0;
  private actionLine = 0;
  private maxRead = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly tree: Tree,
    private readonly treeSet: Map<string, Tree>,
    private readonly hasFunction: (name: string) => boolean,
  ) {}

  private fail(msg: string): never {
    // Go reports the line of the last token read from the lexer (its token[0]).
    const line = this.tokens[this.maxRead - 1]?.line ?? 1;
    throw new TemplateParseError(
      `template: ${this.tree.parseName}:${line}: ${msg}`,
      this.tree.parseName,
      line,
    );
  }

  private eof(): Token {
    const last = this.tokens[this.tokens.length - 1];
    return { type: Tok.EOF, pos: last?.pos ?? 0, val: '', line: last?.line ?? 1 };
  }
  private next(): Token {
    const t = this.tokens[this.i];
    // Past the end (after an error token): EOF forever, as Go's drained lexer.
    if (t === undefined) return this.eof();
    this.i++;
    if (this.i > this.maxRead) this.maxRead = this.i;
    return t;
  }
  private backup(): void {
    this.i--;
  }
  private peek(): Token {
    const t = this.tokens[this.i];
    if (t === undefined) return this.eof();
    if (this.i + 1 > this.maxRead) this.maxRead = this.i + 1;
    return t;
  }
  private nextNonSpace(): Token {
    let t: Token;
    do t = this.next();
    while (t.type === Tok.Space);
    return t;
  }
  private peekNonSpace(): Token {
    while (this.tokens[this.i]?.type === Tok.Space) this.next();
    return this.peek();
  }
  private expect(type: Tok, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }
  private unexpected(t: Token, context: string): never {
    if (t.type === Tok.Error) {
      // A lexer error inside a multi-line action says where the action started.
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.tree.parseName}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.fail(t.val + extra);
    }
    this.fail(`unexpected ${tokenString(t)} in ${context}`);
  }

  parse(): void {
    const root: ListNode = { kind: NodeKind.List, pos: this.peek().pos, nodes: [] };
    this.tree.root = root;
    while (this.peek().type !== Tok.EOF) {
      if (this.peek().type === Tok.LeftDelim) {
        const save = this.i;
        this.next();
        if (this.nextNonSpace().type === Tok.Define) {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if (n.kind === NodeKind.End || n.kind === NodeKind.Else) {
        this.fail(`unexpected ${nodeString(n)}`);
      }
      root.nodes.push(n);
    }
    this.add(this.tree);
  }

  private add(tree: Tree): void {
    const existing = this.treeSet.get(tree.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.treeSet.set(tree.name, tree);
      return;
    }
    if (!isEmptyTree(tree.root)) {
      this.fail(`template: multiple definition of template ${JSON.stringify(tree.name)}`);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== Tok.String && nameTok.type !== Tok.RawString)
      this.unexpected(nameTok, context);
    const name = goUnquote(nameTok.val);
    if (name === null) this.fail('invalid syntax');
    this.expect(Tok.RightDelim, context);
    const def: Tree = {
      name,
      parseName: this.tree.parseName,
      text: this.tree.text,
      root: { kind: NodeKind.List, pos: 0, nodes: [] },
    };
    const savedVars = this.vars;
    this.vars = ['$'];
    const { list, next } = this.itemList();
    this.vars = savedVars;
    if (next.kind !== NodeKind.End) this.fail(`unexpected ${nodeString(next)} in ${context}`);
    def.root = list;
    this.add(def);
  }

  private itemList(): { list: ListNode; next: Node } {
    const list: ListNode = { kind: NodeKind.List, pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== Tok.EOF) {
      const n = this.textOrAction();
      if (n.kind === NodeKind.End || n.kind === NodeKind.Else) return { list, next: n };
      list.nodes.push(n);
    }
    this.fail('unexpected EOF');
  }

  private textOrAction(): Node {
    const t = this.nextNonSpace();
    if (t.type === Tok.Text) return { kind: NodeKind.Text, pos: t.pos, text: t.val };
    if (t.type === Tok.LeftDelim) {
      this.actionLine = t.line;
      try {
        return this.action();
      } finally {
        this.actionLine = 0;
      }
    }
    this.unexpected(t, 'input');
  }

  private action(): Node {
    const t = this.nextNonSpace();
    switch (t.type) {
      case Tok.Block:
        return this.blockControl();
      case Tok.Break:
        return this.breakControl(t, 'break');
      case Tok.Continue:
        return this.breakControl(t, 'continue');
      case Tok.Else:
        return this.elseControl();
      case Tok.End:
        return { kind: NodeKind.End, pos: this.expect(Tok.RightDelim, 'end').pos, line: t.line };
      case Tok.If:
        return this.control(NodeKind.If, 'if');
      case Tok.Range:
        return this.rangeControl();
      case Tok.Template:
        return this.templateControl();
      case Tok.With:
        return this.control(NodeKind.With, 'with');
    }
    this.backup();
    const tok = this.peek();
    return { kind: NodeKind.Action, pos: tok.pos, line: tok.line, pipe: this.pipeline('command') };
  }

  private breakControl(t: Token, word: 'break' | 'continue'): Node {
    const next = this.nextNonSpace();
    if (next.type !== Tok.RightDelim) this.unexpected(next, `{{${word}}}`);
    if (this.rangeDepth === 0) this.fail(`{{${word}}} outside {{range}}`);
    return {
      kind: word === 'break' ? NodeKind.Break : NodeKind.Continue,
      pos: t.pos,
      line: t.line,
    };
  }

  private elseControl(): MarkerNode {
    const peek = this.peekNonSpace();
    // "else if" / "else with": leave the keyword pending; the enclosing control parses it.
    if (peek.type === Tok.If || peek.type === Tok.With) {
      return { kind: NodeKind.Else, pos: peek.pos, line: peek.line };
    }
    const t = this.expect(Tok.RightDelim, 'else');
    return { kind: NodeKind.Else, pos: t.pos, line: t.line };
  }

  private rangeControl(): BranchNode {
    this.rangeDepth++;
    try {
      return this.control(NodeKind.Range, 'range');
    } finally {
      this.rangeDepth--;
    }
  }

  private control(kind: BranchNode['kind'], context: 'if' | 'range' | 'with'): BranchNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(context);
    const { list, next } = this.itemList();
    let elseList: ListNode | null = null;
    if (next.kind === NodeKind.Else) {
      const peek = this.peek();
      if (context === 'if' && peek.type === Tok.If) {
        this.next();
        elseList = { kind: NodeKind.List, pos: next.pos, nodes: [this.control(NodeKind.If, 'if')] };
      } else if (context === 'with' && peek.type === Tok.With) {
        this.next();
        elseList = {
          kind: NodeKind.List,
          pos: next.pos,
          nodes: [this.control(NodeKind.With, 'with')],
        };
      } else {
        // In a range, {{break}} in the else part is outside the loop.
        const depth = this.rangeDepth;
        if (context === 'range') this.rangeDepth--;
        const r = this.itemList();
        this.rangeDepth = depth;
        elseList = r.list;
        if (r.next.kind !== NodeKind.End) this.fail(`expected end; found ${nodeString(r.next)}`);
      }
    }
    this.vars.length = mark;
    return { kind, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
  }

  private parseTemplateName(t: Token, context: string): string {
    if (t.type !== Tok.String && t.type !== Tok.RawString) this.unexpected(t, context);
    const name = goUnquote(t.val);
    if (name === null) this.fail('invalid syntax');
    return name;
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== Tok.RightDelim) {
      this.backup();
      pipe = this.pipeline(context);
    }
    return { kind: NodeKind.Template, pos: t.pos, line: t.line, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    const pipe = this.pipeline(context);
    const savedVars = this.vars;
    this.vars = ['$'];
    const { list, next } = this.itemList();
    this.vars = savedVars;
    if (next.kind !== NodeKind.End) this.fail(`unexpected ${nodeString(next)} in ${context}`);
    this.add({ name, parseName: this.tree.parseName, text: this.tree.text, root: list });
    return { kind: NodeKind.Template, pos: t.pos, line: t.line, name, pipe };
  }

  private pipeline(context: string): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = {
      kind: NodeKind.Pipe,
      pos: first.pos,
      line: first.line,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== Tok.Variable) break;
      const save = this.i;
      this.next();
      const next = this.peekNonSpace();
      if (next.type === Tok.Assign || next.type === Tok.Declare) {
        pipe.isAssign = next.type === Tok.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        this.vars.push(v.val);
        break;
      }
      if (next.type === Tok.Char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().type;
          if (p === Tok.Variable || p === Tok.RightDelim || p === Tok.RightParen) continue;
          this.fail('range can only initialize variables');
        }
        this.fail(`too many declarations in ${context}`);
      }
      this.i = save;
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      switch (t.type) {
        case Tok.RightDelim:
        case Tok.RightParen:
          this.checkPipeline(pipe, context);
          if (t.type === Tok.RightParen) this.backup();
          return pipe;
        case Tok.Bool:
        case Tok.CharConstant:
        case Tok.Complex:
        case Tok.Dot:
        case Tok.Field:
        case Tok.Identifier:
        case Tok.Number:
        case Tok.Nil:
        case Tok.RawString:
        case Tok.String:
        case Tok.Variable:
        case Tok.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const k = pipe.cmds[i]?.args[0]?.kind;
      if (
        k === NodeKind.Bool ||
        k === NodeKind.Dot ||
        k === NodeKind.Nil ||
        k === NodeKind.Number ||
        k === NodeKind.String
      ) {
        this.fail(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: NodeKind.Command, pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const t = this.next();
      if (t.type === Tok.Space) continue;
      if (t.type === Tok.Error) this.unexpected(t, 'operand');
      if (t.type === Tok.RightDelim || t.type === Tok.RightParen) this.backup();
      else if (t.type !== Tok.Pipe) this.fail(`unexpected ${tokenString(t)} in operand`);
      break;
    }
    if (cmd.args.length === 0) this.fail('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().type !== Tok.Field) return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === Tok.Field) fields.push(this.next().val.slice(1));
    switch (node.kind) {
      case NodeKind.Field:
        return { kind: NodeKind.Field, pos, ident: [...node.ident, ...fields] };
      case NodeKind.Variable:
        return { kind: NodeKind.Variable, pos, ident: [...node.ident, ...fields] };
      case NodeKind.Bool:
      case NodeKind.String:
      case NodeKind.Number:
      case NodeKind.Nil:
      case NodeKind.Dot:
        this.fail(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
    }
    return { kind: NodeKind.Chain, pos, node, field: fields };
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.type) {
      case Tok.Error:
        return this.unexpected(t, 'operand');
      case Tok.Identifier:
        if (!this.hasFunction(t.val)) this.fail(`function ${JSON.stringify(t.val)} not defined`);
        return { kind: NodeKind.Identifier, pos: t.pos, ident: t.val };
      case Tok.Dot:
        return { kind: NodeKind.Dot, pos: t.pos };
      case Tok.Nil:
        return { kind: NodeKind.Nil, pos: t.pos };
      case Tok.Variable:
        return this.useVar(t);
      case Tok.Field:
        return { kind: NodeKind.Field, pos: t.pos, ident: [t.val.slice(1)] };
      case Tok.Bool:
        return { kind: NodeKind.Bool, pos: t.pos, value: t.val === 'true' };
      case Tok.Complex:
        return this.fail(`complex constants are not supported: ${JSON.stringify(t.val)}`);
      case Tok.CharConstant:
      case Tok.Number: {
        const r = parseNumberLiteral(t.val, t.type === Tok.CharConstant);
        if (!r.ok) this.fail(r.error);
        return {
          kind: NodeKind.Number,
          pos: t.pos,
          text: t.val,
          value: r.value,
          ...(r.overflowsInt ? { overflow: true } : {}),
        };
      }
      case Tok.LeftParen: {
        const pipe = this.pipeline('parenthesized pipeline');
        const close = this.next();
        if (close.type !== Tok.RightParen)
          this.fail(`unclosed right paren: unexpected ${tokenString(close)}`);
        return pipe;
      }
      case Tok.String:
      case Tok.RawString: {
        const s = goUnquote(t.val);
        if (s === null) this.fail('invalid syntax');
        return { kind: NodeKind.String, pos: t.pos, quoted: t.val, text: s };
      }
    }
    this.backup();
    return null;
  }

  private newVariable(t: Token): VariableNode {
    return { kind: NodeKind.Variable, pos: t.pos, ident: t.val.split('.') };
  }

  private useVar(t: Token): VariableNode {
    const v = this.newVariable(t);
    const name = v.ident[0] as string;
    if (!this.vars.includes(name)) this.fail(`undefined variable ${JSON.stringify(name)}`);
    return v;
  }
}

/**
 * Parses `text` as template `name`; returns the trees it defines, in the map Go calls the
 * treeSet (the top-level tree under `name`, empty or not).
 */
export function parseTemplates(
  name: string,
  text: string,
  hasFunction: (name: string) => boolean,
): Map<string, Tree> {
  const tokens = lex(text, {
    breakOK: !hasFunction('break'),
    continueOK: !hasFunction('continue'),
  });
  const treeSet = new Map<string, Tree>();
  const tree: Tree = {
    name,
    parseName: name,
    text,
    root: { kind: NodeKind.List, pos: 0, nodes: [] },
  };
  new Parser(tokens, tree, treeSet, hasFunction).parse();
  return treeSet;
}
