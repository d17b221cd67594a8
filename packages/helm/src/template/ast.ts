/**
 * The parse tree of text/template (text/template/parse/node.go). Nodes are plain objects with a
 * numeric `kind` so the executor dispatches with a switch and allocates nothing per visit.
 */

export const enum NodeKind {
  Text,
  Action,
  If,
  Range,
  With,
  Template,
  List,
  Break,
  Continue,
  // operands
  Pipe,
  Command,
  Dot,
  Nil,
  Bool,
  Number,
  String,
  Field,
  Variable,
  Identifier,
  Chain,
  // parse-only markers
  End,
  Else,
}

export interface TextNode {
  kind: NodeKind.Text;
  pos: number;
  text: string;
}
export interface ListNode {
  kind: NodeKind.List;
  pos: number;
  nodes: Node[];
}
export interface ActionNode {
  kind: NodeKind.Action;
  pos: number;
  line: number;
  pipe: PipeNode;
}
export interface BranchNode {
  kind: NodeKind.If | NodeKind.Range | NodeKind.With;
  pos: number;
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}
export interface TemplateNode {
  kind: NodeKind.Template;
  pos: number;
  line: number;
  name: string;
  pipe: PipeNode | null;
}
export interface BreakNode {
  kind: NodeKind.Break | NodeKind.Continue;
  pos: number;
  line: number;
}
export interface MarkerNode {
  kind: NodeKind.End | NodeKind.Else;
  pos: number;
  line: number;
}
export interface PipeNode {
  kind: NodeKind.Pipe;
  pos: number;
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode {
  kind: NodeKind.Command;
  pos: number;
  args: ArgNode[];
}
export interface DotNode {
  kind: NodeKind.Dot;
  pos: number;
}
export interface NilNode {
  kind: NodeKind.Nil;
  pos: number;
}
export interface BoolNode {
  kind: NodeKind.Bool;
  pos: number;
  value: boolean;
}
export interface NumberNode {
  kind: NodeKind.Number;
  pos: number;
  text: string;
  /** The value the executor uses: bigint for Go's int, number for float64. */
  value: bigint | number;
  /** A literal above int64 (Go: "NUMBER overflows int" when executed). */
  overflow?: boolean;
}
export interface StringNode {
  kind: NodeKind.String;
  pos: number;
  quoted: string;
  text: string;
}
export interface FieldNode {
  kind: NodeKind.Field;
  pos: number;
  ident: string[];
}
export interface VariableNode {
  kind: NodeKind.Variable;
  pos: number;
  ident: string[];
}
export interface IdentifierNode {
  kind: NodeKind.Identifier;
  pos: number;
  ident: string;
}
export interface ChainNode {
  kind: NodeKind.Chain;
  pos: number;
  node: ArgNode;
  field: string[];
}

export type ArgNode =
  | PipeNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | FieldNode
  | VariableNode
  | IdentifierNode
  | ChainNode;

export type Node =
  | TextNode
  | ListNode
  | ActionNode
  | BranchNode
  | TemplateNode
  | BreakNode
  | MarkerNode
  | CommandNode
  | ArgNode;

/** A parsed template: Go's parse.Tree. */
export interface Tree {
  name: string;
  /** The name of the top-level template being parsed (the file), for error locations. */
  parseName: string;
  /** The whole text the tree was parsed from (a define's tree keeps its file's text). */
  text: string;
  root: ListNode;
}

/**
 * Go's Node.String(), used in error messages (`at <.Values.x>`); Go's own tests print text
 * nodes quoted, hence `textFormat`.
 */
export function nodeString(n: Node, textFormat: (text: string) => string = (t) => t): string {
  const str = (m: Node): string => nodeString(m, textFormat);
  switch (n.kind) {
    case NodeKind.Text:
      return textFormat(n.text);
    case NodeKind.List:
      return n.nodes.map(str).join('');
    case NodeKind.Action:
      return `{{${str(n.pipe)}}}`;
    case NodeKind.If:
    case NodeKind.Range:
    case NodeKind.With: {
      const word = n.kind === NodeKind.If ? 'if' : n.kind === NodeKind.Range ? 'range' : 'with';
      const elsePart = n.elseList ? `{{else}}${str(n.elseList)}` : '';
      return `{{${word} ${str(n.pipe)}}}${str(n.list)}${elsePart}{{end}}`;
    }
    case NodeKind.Template:
      return n.pipe
        ? `{{template ${JSON.stringify(n.name)} ${str(n.pipe)}}}`
        : `{{template ${JSON.stringify(n.name)}}}`;
    case NodeKind.Break:
      return '{{break}}';
    case NodeKind.Continue:
      return '{{continue}}';
    case NodeKind.End:
      return '{{end}}';
    case NodeKind.Else:
      return '{{else}}';
    case NodeKind.Pipe: {
      let s = '';
      if (n.decl.length > 0) {
        s = n.decl.map(str).join(', ') + (n.isAssign ? ' = ' : ' := ');
      }
      return s + n.cmds.map(str).join(' | ');
    }
    case NodeKind.Command:
      return n.args.map((a) => (a.kind === NodeKind.Pipe ? `(${str(a)})` : str(a))).join(' ');
    case NodeKind.Dot:
      return '.';
    case NodeKind.Nil:
      return 'nil';
    case NodeKind.Bool:
      return n.value ? 'true' : 'false';
    case NodeKind.Number:
      return n.text;
    case NodeKind.String:
      return n.quoted;
    case NodeKind.Field:
      return '.' + n.ident.join('.');
    case NodeKind.Variable:
      return n.ident.join('.');
    case NodeKind.Identifier:
      return n.ident;
    case NodeKind.Chain: {
      const head = n.node.kind === NodeKind.Pipe ? `(${str(n.node)})` : str(n.node);
      return head + n.field.map((f) => '.' + f).join('');
    }
  }
}

/** Go's parse.IsEmptyTree: only whitespace text (an empty file, or one of only defines). */
export function isEmptyTree(n: Node): boolean {
  if (n.kind === NodeKind.List) return n.nodes.every(isEmptyTree);
  if (n.kind === NodeKind.Text) return n.text.trim().length === 0;
  return false;
}
