import { describe, expect, it } from 'vitest';
import { nodeString, isEmptyTree } from './ast.ts';
import { goQuote } from './fmt.ts';
import { parseTemplates } from './parse.ts';

// Rows from Go's text/template/parse/parse_test.go (parseTests, errorTests, isEmptyTests):
// the tree printed back (text nodes quoted, as Go's tests print them) or the error message.

const funcs = new Set(['printf', 'contains']);
const hasFunction = (name: string): boolean => funcs.has(name);
const parseRoot = (name: string, text: string): string => {
  const tree = parseTemplates(name, text, hasFunction).get(name);
  if (tree === undefined) throw new Error('no tree');
  return nodeString(tree.root, (t) => goQuote(t));
};

const parseTests: [name: string, input: string, result: string][] = [
  ['empty', '', ''],
  ['comment', '{{/*\n\n\n*/}}', ''],
  ['spaces', ' \t\n', '" \\t\\n"'],
  ['text', 'some text', '"some text"'],
  ['field', '{{.X}}', '{{.X}}'],
  ['simple command', '{{printf}}', '{{printf}}'],
  ['$ invocation', '{{$}}', '{{$}}'],
  ['variable invocation', '{{with $x := 3}}{{$x 23}}{{end}}', '{{with $x := 3}}{{$x 23}}{{end}}'],
  ['variable with fields', '{{$.I}}', '{{$.I}}'],
  ['multi-word command', '{{printf `%d` 23}}', '{{printf `%d` 23}}'],
  ['pipeline', '{{.X|.Y}}', '{{.X | .Y}}'],
  ['pipeline with decl', '{{$x := .X|.Y}}', '{{$x := .X | .Y}}'],
  ['nested pipeline', '{{.X (.Y .Z) (.A | .B .C) (.E)}}', '{{.X (.Y .Z) (.A | .B .C) (.E)}}'],
  ['field applied to parentheses', '{{(.Y .Z).Field}}', '{{(.Y .Z).Field}}'],
  ['simple if', '{{if .X}}hello{{end}}', '{{if .X}}"hello"{{end}}'],
  ['if with else', '{{if .X}}true{{else}}false{{end}}', '{{if .X}}"true"{{else}}"false"{{end}}'],
  [
    'if with else if',
    '{{if .X}}true{{else if .Y}}false{{end}}',
    '{{if .X}}"true"{{else}}{{if .Y}}"false"{{end}}{{end}}',
  ],
  [
    'if else chain',
    '+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+',
    '"+"{{if .X}}"X"{{else}}{{if .Y}}"Y"{{else}}{{if .Z}}"Z"{{end}}{{end}}{{end}}"+"',
  ],
  ['simple range', '{{range .X}}hello{{end}}', '{{range .X}}"hello"{{end}}'],
  ['chained field range', '{{range .X.Y.Z}}hello{{end}}', '{{range .X.Y.Z}}"hello"{{end}}'],
  [
    'nested range',
    '{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}',
    '{{range .X}}"hello"{{range .Y}}"goodbye"{{end}}{{end}}',
  ],
  [
    'range with else',
    '{{range .X}}true{{else}}false{{end}}',
    '{{range .X}}"true"{{else}}"false"{{end}}',
  ],
  [
    'range over pipeline',
    '{{range .X|.M}}true{{else}}false{{end}}',
    '{{range .X | .M}}"true"{{else}}"false"{{end}}',
  ],
  ['range []int', '{{range .SI}}{{.}}{{end}}', '{{range .SI}}{{.}}{{end}}'],
  ['range 1 var', '{{range $x := .SI}}{{.}}{{end}}', '{{range $x := .SI}}{{.}}{{end}}'],
  ['range 2 vars', '{{range $x, $y := .SI}}{{.}}{{end}}', '{{range $x, $y := .SI}}{{.}}{{end}}'],
  ['range with break', '{{range .SI}}{{.}}{{break}}{{end}}', '{{range .SI}}{{.}}{{break}}{{end}}'],
  [
    'range with continue',
    '{{range .SI}}{{.}}{{continue}}{{end}}',
    '{{range .SI}}{{.}}{{continue}}{{end}}',
  ],
  [
    'constants',
    "{{range .SI 1 -3.2 true false 'a' nil}}{{end}}",
    "{{range .SI 1 -3.2 true false 'a' nil}}{{end}}",
  ],
  ['template', '{{template `x`}}', '{{template "x"}}'],
  ['template with arg', '{{template `x` .Y}}', '{{template "x" .Y}}'],
  ['with', '{{with .X}}hello{{end}}', '{{with .X}}"hello"{{end}}'],
  [
    'with with else',
    '{{with .X}}hello{{else}}goodbye{{end}}',
    '{{with .X}}"hello"{{else}}"goodbye"{{end}}',
  ],
  [
    'with with else with',
    '{{with .X}}hello{{else with .Y}}goodbye{{end}}',
    '{{with .X}}"hello"{{else}}{{with .Y}}"goodbye"{{end}}{{end}}',
  ],
  [
    'with else chain',
    '{{with .X}}X{{else with .Y}}Y{{else with .Z}}Z{{end}}',
    '{{with .X}}"X"{{else}}{{with .Y}}"Y"{{else}}{{with .Z}}"Z"{{end}}{{end}}{{end}}',
  ],
  ['trim left', 'x \r\n\t{{- 3}}', '"x"{{3}}'],
  ['trim right', '{{3 -}}\n\n\ty', '{{3}}"y"'],
  ['trim left and right', 'x \r\n\t{{- 3 -}}\n\n\ty', '"x"{{3}}"y"'],
  ['trim with extra spaces', 'x\n{{-  3   -}}\ny', '"x"{{3}}"y"'],
  ['comment trim left', 'x \r\n\t{{- /* hi */}}', '"x"'],
  ['comment trim right', '{{/* hi */ -}}\n\n\ty', '"y"'],
  ['comment trim left and right', 'x \r\n\t{{- /* */ -}}\n\n\ty', '"x""y"'],
  ['block definition', '{{block "foo" .}}hello{{end}}', '{{template "foo" .}}'],
  ['newline in assignment', '{{ $x \n := \n 1 \n }}', '{{$x := 1}}'],
  ['newline in pipeline', '{{\n"x"\n|\nprintf\n}}', '{{"x" | printf}}'],
  ['newline in comment', '{{/*\nhello\n*/}}', ''],
  ['newline in trimmed comment', '{{-\n/*\nhello\n*/\n-}}', ''],
  [
    'spaces around continue',
    '{{range .SI}}{{.}}{{ continue }}{{end}}',
    '{{range .SI}}{{.}}{{continue}}{{end}}',
  ],
  [
    'spaces around break',
    '{{range .SI}}{{.}}{{ break }}{{end}}',
    '{{range .SI}}{{.}}{{break}}{{end}}',
  ],
  ['bug0a', '{{$x := 0}}{{$x}}', '{{$x := 0}}{{$x}}'],
  ['bug1c', '{{$x:=.}}{{$x +2}}', '{{$x := .}}{{$x +2}}'],
  ['bug2a', '{{range $x := 0}}{{$x}}{{end}}', '{{range $x := 0}}{{$x}}{{end}}'],
  ['bug2b', '{{range $x = 0}}{{$x}}{{end}}', '{{range $x = 0}}{{$x}}{{end}}'],
  ['paren nesting', '{{ ((( 1 ))) | printf }}', '{{(((1))) | printf}}'],
  [
    'hex, octal, binary, underscores',
    '{{printf 0x1F 0o17 017 0b101 1_000 1e3 .5}}',
    '{{printf 0x1F 0o17 017 0b101 1_000 1e3 .5}}',
  ],
];

// parseTests whose input must fail; Go checks only that they fail, we check the message too.
const failingParses: [name: string, input: string, message: string][] = [
  ['emptyAction', '{{}}', 'template: emptyAction:1: missing value for command'],
  [
    'newline in empty action',
    '{{\n}}',
    'template: newline in empty action:2: missing value for command',
  ],
  ['unclosed action', 'hello{{range', 'template: unclosed action:1: unclosed action'],
  ['unmatched end', '{{end}}', 'template: unmatched end:1: unexpected {{end}}'],
  ['unmatched else', '{{else}}', 'template: unmatched else:1: unexpected {{else}}'],
  [
    'unmatched else after if',
    '{{if .X}}hello{{end}}{{else}}',
    'template: unmatched else after if:1: unexpected {{else}}',
  ],
  [
    'multiple else',
    '{{if .X}}1{{else}}2{{else}}3{{end}}',
    'template: multiple else:1: expected end; found {{else}}',
  ],
  ['missing end', 'hello{{range .x}}', 'template: missing end:1: unexpected EOF'],
  [
    'missing end after else',
    'hello{{range .x}}{{else}}',
    'template: missing end after else:1: unexpected EOF',
  ],
  [
    'undefined function',
    'hello{{undefined}}',
    'template: undefined function:1: function "undefined" not defined',
  ],
  ['undefined variable', '{{$x}}', 'template: undefined variable:1: undefined variable "$x"'],
  [
    'variable undefined after end',
    '{{with $x := 4}}{{end}}{{$x}}',
    'template: variable undefined after end:1: undefined variable "$x"',
  ],
  [
    'variable undefined in template',
    '{{template $v}}',
    'template: variable undefined in template:1: unexpected "$v" in template clause',
  ],
  [
    'declare with field',
    '{{with $x.Y := 4}}{{end}}',
    'template: declare with field:1: undefined variable "$x"',
  ],
  [
    'template with field ref',
    '{{template .X}}',
    'template: template with field ref:1: unexpected ".X" in template clause',
  ],
  [
    'invalid punctuation',
    '{{printf 3, 4}}',
    'template: invalid punctuation:1: unexpected "," in operand',
  ],
  [
    'multidecl outside range',
    '{{with $v, $u := 3}}{{end}}',
    'template: multidecl outside range:1: too many declarations in with',
  ],
  [
    'too many decls in range',
    '{{range $u, $v, $w := 3}}{{end}}',
    'template: too many decls in range:1: too many declarations in range',
  ],
  [
    'dot applied to parentheses',
    '{{printf (printf .).}}',
    'template: dot applied to parentheses:1: unexpected <.> in operand',
  ],
  ['adjacent args', '{{printf 3`x`}}', 'template: adjacent args:1: unexpected "`x`" in operand'],
  [
    'adjacent args with .',
    '{{printf `x`.}}',
    'template: adjacent args with .:1: unexpected <.> in operand',
  ],
  [
    'extra end after if',
    '{{if .X}}a{{else if .Y}}b{{end}}{{end}}',
    'template: extra end after if:1: unexpected {{end}}',
  ],
  [
    'break outside range',
    '{{range .}}{{end}} {{break}}',
    'template: break outside range:1: {{break}} outside {{range}}',
  ],
  [
    'continue outside range',
    '{{range .}}{{end}} {{continue}}',
    'template: continue outside range:1: {{continue}} outside {{range}}',
  ],
  [
    'break in range else',
    '{{range .}}{{else}}{{break}}{{end}}',
    'template: break in range else:1: {{break}} outside {{range}}',
  ],
  ['bug0b', '{{$x += 1}}{{$x}}', 'template: bug0b:1: undefined variable "$x"'],
  ['bug0e', '{{range $x := $y := 3}}{{end}}', 'template: bug0e:1: undefined variable "$y"'],
  ['bug1a', '{{$x:=.}}{{$x!2}}', "template: bug1a:1: bad character U+0021 '!'"],
  ['bug1b', '{{$x:=.}}{{$x+2}}', "template: bug1b:1: bad character U+002B '+'"],
  ['dot after integer', '{{1.E}}', 'template: dot after integer:1: illegal number syntax: "1.E"'],
  ['dot after float', '{{0.1.E}}', 'template: dot after float:1: unexpected . after term "0.1"'],
  [
    'dot after boolean',
    '{{true.E}}',
    'template: dot after boolean:1: unexpected . after term "true"',
  ],
  ['dot after char', "{{'a'.any}}", 'template: dot after char:1: unexpected . after term "\'a\'"'],
  [
    'dot after string',
    '{{"hello".guys}}',
    'template: dot after string:1: unexpected . after term "\\"hello\\""',
  ],
  ['dot after dot', '{{..E}}', 'template: dot after dot:1: unexpected . after term "."'],
  ['dot after nil', '{{nil.E}}', 'template: dot after nil:1: unexpected . after term "nil"'],
  [
    'wrong pipeline dot',
    '{{12|.}}',
    'template: wrong pipeline dot:1: non executable command in pipeline stage 2',
  ],
  [
    'wrong pipeline number',
    '{{.|12|printf}}',
    'template: wrong pipeline number:1: non executable command in pipeline stage 2',
  ],
  [
    'wrong pipeline string',
    '{{.|printf|"error"}}',
    'template: wrong pipeline string:1: non executable command in pipeline stage 3',
  ],
  [
    'wrong pipeline boolean',
    '{{.|true}}',
    'template: wrong pipeline boolean:1: non executable command in pipeline stage 2',
  ],
  [
    'wrong pipeline nil',
    "{{'c'|nil}}",
    'template: wrong pipeline nil:1: non executable command in pipeline stage 2',
  ],
  [
    'empty pipeline',
    '{{printf "%d" ( ) }}',
    'template: empty pipeline:1: missing value for parenthesized pipeline',
  ],
  [
    'block without pipeline',
    '{{block "foo"}}hello{{end}}',
    'template: block without pipeline:1: missing value for block clause',
  ],
  // errorTests
  ['unclosed1', 'line1\n{{', 'template: unclosed1:2: unclosed action'],
  ['unclosed2', 'line1\n{{define `x`}}line2\n{{', 'template: unclosed2:3: unclosed action'],
  [
    'unclosed3',
    'line1\n{{"x"\n"y"\n',
    'template: unclosed3:4: unclosed action started at unclosed3:2',
  ],
  ['unclosed4', '{{\n\n\n\n\n', 'template: unclosed4:6: unclosed action started at unclosed4:1'],
  ['var1', 'line1\n{{\nx\n}}', 'template: var1:3: function "x" not defined'],
  ['comment1', '{{/*}}', 'template: comment1:1: unclosed comment'],
  ['comment2', '{{/*\nhello\n}}', 'template: comment2:1: unclosed comment'],
  ['lparen', '{{.X (1 2 3}}', 'template: lparen:1: unclosed left paren'],
  ['rparen', '{{.X 1 2 3 ) }}', 'template: rparen:1: unexpected right paren'],
  ['rparen2', '{{(.X 1 2 3', 'template: rparen2:1: unclosed action'],
  ['space', '{{`x`3}}', 'template: space:1: unexpected "3" in operand'],
  ['idchar', '{{a#}}', "template: idchar:1: bad character U+0023 '#'"],
  ['charconst', "{{'a}}", 'template: charconst:1: unterminated character constant'],
  ['stringconst', '{{"a}}', 'template: stringconst:1: unterminated quoted string'],
  ['rawstringconst', '{{`a}}', 'template: rawstringconst:1: unterminated raw quoted string'],
  ['number', '{{0xi}}', 'template: number:1: illegal number syntax: "0xi"'],
  [
    'multidefine',
    '{{define `a`}}a{{end}}{{define `a`}}b{{end}}',
    'template: multidefine:1: template: multiple definition of template "a"',
  ],
  ['eof', '{{range .X}}', 'template: eof:1: unexpected EOF'],
  [
    'variable',
    '{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}',
    'template: variable:1: unexpected ":=" in operand',
  ],
  ['multidecl', '{{$a,$b,$c := 23}}', 'template: multidecl:1: too many declarations in command'],
  ['undefvar', '{{$a}}', 'template: undefvar:1: undefined variable "$a"'],
  ['wrongdot', '{{true.any}}', 'template: wrongdot:1: unexpected . after term "true"'],
  [
    'wrongpipeline',
    '{{12|false}}',
    'template: wrongpipeline:1: non executable command in pipeline stage 2',
  ],
  [
    'emptypipeline',
    '{{ ( ) }}',
    'template: emptypipeline:1: missing value for parenthesized pipeline',
  ],
  ['multilinerawstring', '{{ $v := `\n` }} {{', 'template: multilinerawstring:2: unclosed action'],
  ['rangeundefvar', '{{range $k}}{{end}}', 'template: rangeundefvar:1: undefined variable "$k"'],
  [
    'rangemissingvalue1',
    '{{range $k,}}{{end}}',
    'template: rangemissingvalue1:1: missing value for range',
  ],
  [
    'rangemissingvalue2',
    '{{range $k, $v := }}{{end}}',
    'template: rangemissingvalue2:1: missing value for range',
  ],
  [
    'rangenotvariable1',
    '{{range $k, .}}{{end}}',
    'template: rangenotvariable1:1: range can only initialize variables',
  ],
  [
    'rangenotvariable2',
    '{{range $k, 123 := .}}{{end}}',
    'template: rangenotvariable2:1: range can only initialize variables',
  ],
  [
    'unterminated multi-line raw string',
    'hello\n\n{{`unterminated\n\n\n\n}}\n some more\n\n',
    'template: unterminated multi-line raw string:3: unterminated raw quoted string',
  ],
  ['bad escape', '{{"\\q"}}', 'template: bad escape:1: invalid syntax'],
  [
    'integer overflow',
    '{{99999999999999999999}}',
    'template: integer overflow:1: integer overflow: "99999999999999999999"',
  ],
  [
    'helm: stray brace',
    'a: 1\nb: {{ .Values.x } }\n',
    'template: helm: stray brace:2: unexpected "}" in operand',
  ],
];

describe('text/template parser (Go parse_test.go)', () => {
  it.each(parseTests)('%s', (name, input, result) => {
    expect(parseRoot(name, input)).toBe(result);
  });

  it.each(failingParses)('%s fails', (name, input, message) => {
    expect(() => parseRoot(name, input)).toThrow(message);
    try {
      parseRoot(name, input);
    } catch (e) {
      expect((e as Error).message).toBe(message);
    }
  });

  it('keeps break a function when one is defined, and a keyword otherwise', () => {
    const input = '{{range .X}}{{break 20}}{{end}}';
    const withBreak = parseTemplates('k', input, (n) => n === 'break').get('k');
    expect(withBreak && nodeString(withBreak.root)).toBe('{{range .X}}{{break 20}}{{end}}');
    expect(() => parseTemplates('k', input, () => false)).toThrow(
      'template: k:1: unexpected "20" in {{break}}',
    );
  });

  it.each([
    ['empty', '', true],
    ['nonempty', 'hello', false],
    ['spaces only', ' \t\n \t\n', true],
    ['comment only', '{{/* comment */}}', true],
    ['definition', '{{define "x"}}something{{end}}', true],
    [
      'definitions and space',
      '{{define `x`}}something{{end}}\n\n{{define `y`}}something{{end}}\n\n',
      true,
    ],
    [
      'definitions and text',
      '{{define `x`}}something{{end}}\nx\n{{define `y`}}something{{end}}\ny\n',
      false,
    ],
    ['definition and action', '{{define `x`}}something{{end}}{{if 3}}foo{{end}}', false],
  ])('IsEmptyTree %s', (_name, input, empty) => {
    const tree = parseTemplates('root', input, hasFunction).get('root');
    expect(tree && isEmptyTree(tree.root)).toBe(empty);
  });

  it('parses a block into its own template (TestBlock)', () => {
    const set = parseTemplates('outer', 'a{{block "inner" .}}bar{{.}}baz{{end}}b', hasFunction);
    const outer = set.get('outer');
    const inner = set.get('inner');
    expect(outer && nodeString(outer.root)).toBe('a{{template "inner" .}}b');
    expect(inner && nodeString(inner.root)).toBe('bar{{.}}baz');
    expect(inner?.parseName).toBe('outer');
  });

  it('gives each define its name and keeps its file as the parse name', () => {
    const set = parseTemplates(
      'chart/templates/_helpers.tpl',
      '{{- define "x.name" -}}\n{{ .Chart.Name }}\n{{- end }}\n',
      hasFunction,
    );
    expect([...set.keys()].sort()).toEqual(['chart/templates/_helpers.tpl', 'x.name']);
    const def = set.get('x.name');
    expect(def && nodeString(def.root)).toBe('{{.Chart.Name}}');
    expect(def?.parseName).toBe('chart/templates/_helpers.tpl');
  });
});
