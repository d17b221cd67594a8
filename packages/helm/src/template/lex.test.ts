import { describe, expect, it } from 'vitest';
import { lex, Tok } from './lex.ts';

// Rows from Go's text/template/parse/lex_test.go (lexTests, lexPosTests) in their Go 1.22
// form: newlines are allowed inside actions since Go 1.16.

const names: Partial<Record<Tok, string>> = {
  [Tok.Error]: 'error',
  [Tok.Bool]: 'bool',
  [Tok.Char]: 'char',
  [Tok.CharConstant]: 'charconst',
  [Tok.Complex]: 'complex',
  [Tok.Assign]: '=',
  [Tok.Declare]: ':=',
  [Tok.EOF]: 'EOF',
  [Tok.Field]: 'field',
  [Tok.Identifier]: 'identifier',
  [Tok.LeftDelim]: '{{',
  [Tok.LeftParen]: '(',
  [Tok.Number]: 'number',
  [Tok.Pipe]: '|',
  [Tok.RawString]: 'raw string',
  [Tok.RightDelim]: '}}',
  [Tok.RightParen]: ')',
  [Tok.Space]: 'space',
  [Tok.String]: 'string',
  [Tok.Text]: 'text',
  [Tok.Variable]: 'variable',
  [Tok.Block]: 'block',
  [Tok.Break]: 'break',
  [Tok.Continue]: 'continue',
  [Tok.Dot]: '.',
  [Tok.Define]: 'define',
  [Tok.Else]: 'else',
  [Tok.End]: 'end',
  [Tok.If]: 'if',
  [Tok.Nil]: 'nil',
  [Tok.Range]: 'range',
  [Tok.Template]: 'template',
  [Tok.With]: 'with',
};

const tokens = (input: string): string[] =>
  lex(input, { breakOK: true, continueOK: true }).map((t) =>
    t.type === Tok.LeftDelim ||
    t.type === Tok.RightDelim ||
    t.type === Tok.EOF ||
    t.type === Tok.Space
      ? (names[t.type] ?? '?')
      : `${names[t.type] ?? '?'} ${JSON.stringify(t.val)}`,
  );

const S = 'space';
const raw = '`' + 'abc\\n\\t\\" ' + '`';
const rawNL = '`now is{{\n}}the time`';

const lexTests: [name: string, input: string, items: string[]][] = [
  ['empty', '', ['EOF']],
  ['spaces', ' \t\n', ['text " \\t\\n"', 'EOF']],
  ['text', 'now is the time', ['text "now is the time"', 'EOF']],
  [
    'text with comment',
    'hello-{{/* this is a comment */}}-world',
    ['text "hello-"', 'text "-world"', 'EOF'],
  ],
  ['punctuation', '{{,@% }}', ['{{', 'char ","', 'char "@"', 'char "%"', S, '}}', 'EOF']],
  ['parens', '{{((3))}}', ['{{', '( "("', '( "("', 'number "3"', ') ")"', ') ")"', '}}', 'EOF']],
  ['empty action', '{{}}', ['{{', '}}', 'EOF']],
  ['for', '{{for}}', ['{{', 'identifier "for"', '}}', 'EOF']],
  [
    'block',
    '{{block "foo" .}}',
    ['{{', 'block "block"', S, 'string "\\"foo\\""', S, '. "."', '}}', 'EOF'],
  ],
  ['quote', '{{"abc \\n\\t\\" "}}', ['{{', 'string "\\"abc \\\\n\\\\t\\\\\\" \\""', '}}', 'EOF']],
  ['raw quote', '{{' + raw + '}}', ['{{', `raw string ${JSON.stringify(raw)}`, '}}', 'EOF']],
  [
    'raw quote with newline',
    '{{' + rawNL + '}}',
    ['{{', `raw string ${JSON.stringify(rawNL)}`, '}}', 'EOF'],
  ],
  [
    'numbers',
    '{{1 02 0x14 0X14 -7.2i 1e3 1E3 +1.2e-4 4.2i 1+2i 1_2 0x1.e_fp4 0X1.E_FP4}}',
    [
      '{{',
      'number "1"',
      S,
      'number "02"',
      S,
      'number "0x14"',
      S,
      'number "0X14"',
      S,
      'number "-7.2i"',
      S,
      'number "1e3"',
      S,
      'number "1E3"',
      S,
      'number "+1.2e-4"',
      S,
      'number "4.2i"',
      S,
      'complex "1+2i"',
      S,
      'number "1_2"',
      S,
      'number "0x1.e_fp4"',
      S,
      'number "0X1.E_FP4"',
      '}}',
      'EOF',
    ],
  ],
  [
    'characters',
    "{{'a' '\\n' '\\'' '\\\\' '\\u00FF' '\\xFF' '本'}}",
    [
      '{{',
      'charconst "\'a\'"',
      S,
      'charconst "\'\\\\n\'"',
      S,
      "charconst \"'\\\\''\"",
      S,
      'charconst "\'\\\\\\\\\'"',
      S,
      'charconst "\'\\\\u00FF\'"',
      S,
      'charconst "\'\\\\xFF\'"',
      S,
      'charconst "\'本\'"',
      '}}',
      'EOF',
    ],
  ],
  ['bools', '{{true false}}', ['{{', 'bool "true"', S, 'bool "false"', '}}', 'EOF']],
  ['dot', '{{.}}', ['{{', '. "."', '}}', 'EOF']],
  ['nil', '{{nil}}', ['{{', 'nil "nil"', '}}', 'EOF']],
  [
    'dots',
    '{{.x . .2 .x.y.z}}',
    [
      '{{',
      'field ".x"',
      S,
      '. "."',
      S,
      'number ".2"',
      S,
      'field ".x"',
      'field ".y"',
      'field ".z"',
      '}}',
      'EOF',
    ],
  ],
  [
    'keywords',
    '{{range if else end with}}',
    [
      '{{',
      'range "range"',
      S,
      'if "if"',
      S,
      'else "else"',
      S,
      'end "end"',
      S,
      'with "with"',
      '}}',
      'EOF',
    ],
  ],
  [
    'variables',
    '{{$c := printf $ $hello $23 $ $var.Field .Method}}',
    [
      '{{',
      'variable "$c"',
      S,
      ':= ":="',
      S,
      'identifier "printf"',
      S,
      'variable "$"',
      S,
      'variable "$hello"',
      S,
      'variable "$23"',
      S,
      'variable "$"',
      S,
      'variable "$var"',
      'field ".Field"',
      S,
      'field ".Method"',
      '}}',
      'EOF',
    ],
  ],
  ['variable invocation', '{{$x 23}}', ['{{', 'variable "$x"', S, 'number "23"', '}}', 'EOF']],
  [
    'pipeline',
    'intro {{echo hi 1.2 |noargs|args 1 "hi"}} outro',
    [
      'text "intro "',
      '{{',
      'identifier "echo"',
      S,
      'identifier "hi"',
      S,
      'number "1.2"',
      S,
      '| "|"',
      'identifier "noargs"',
      '| "|"',
      'identifier "args"',
      S,
      'number "1"',
      S,
      'string "\\"hi\\""',
      '}}',
      'text " outro"',
      'EOF',
    ],
  ],
  [
    'declaration',
    '{{$v := 3}}',
    ['{{', 'variable "$v"', S, ':= ":="', S, 'number "3"', '}}', 'EOF'],
  ],
  [
    '2 declarations',
    '{{$v , $w := 3}}',
    [
      '{{',
      'variable "$v"',
      S,
      'char ","',
      S,
      'variable "$w"',
      S,
      ':= ":="',
      S,
      'number "3"',
      '}}',
      'EOF',
    ],
  ],
  ['assignment', '{{$v = 3}}', ['{{', 'variable "$v"', S, '= "="', S, 'number "3"', '}}', 'EOF']],
  [
    'field of parenthesized expression',
    '{{(.X).Y}}',
    ['{{', '( "("', 'field ".X"', ') ")"', 'field ".Y"', '}}', 'EOF'],
  ],
  [
    'trimming spaces before and after',
    'hello- {{- 3 -}} -world',
    ['text "hello-"', '{{', 'number "3"', '}}', 'text "-world"', 'EOF'],
  ],
  [
    'trimming spaces before and after comment',
    'hello- {{- /* hello */ -}} -world',
    ['text "hello-"', 'text "-world"', 'EOF'],
  ],
  ['trim marker needs a space', '{{-3}}', ['{{', 'number "-3"', '}}', 'EOF']],
  ['newline in action', '{{\n.X\n}}', ['{{', S, 'field ".X"', S, '}}', 'EOF']],
  [
    'break and continue',
    '{{break}}{{continue}}',
    ['{{', 'break "break"', '}}', '{{', 'continue "continue"', '}}', 'EOF'],
  ],
  // errors
  [
    'badchar',
    '#{{\x01}}',
    ['text "#"', '{{', 'error "unrecognized character in action: U+0001 \'\\u0001\'"'],
  ],
  ['EOF in action', '{{range', ['{{', 'range "range"', 'error "unclosed action"']],
  ['unclosed quote', '{{"\n"}}', ['{{', 'error "unterminated quoted string"']],
  ['unclosed raw quote', '{{`xx}}', ['{{', 'error "unterminated raw quoted string"']],
  ['unclosed char constant', "{{'\n}}", ['{{', 'error "unterminated character constant"']],
  ['bad number', '{{3k}}', ['{{', 'error "bad number syntax: \\"3k\\""']],
  ['unclosed paren', '{{(3}}', ['{{', '( "("', 'number "3"', 'error "unclosed left paren"']],
  ['extra right paren', '{{3)}}', ['{{', 'number "3"', 'error "unexpected right paren"']],
  [
    'long pipeline deadlock',
    '{{|||||}}',
    ['{{', '| "|"', '| "|"', '| "|"', '| "|"', '| "|"', '}}', 'EOF'],
  ],
  ['text with bad comment', 'hello-{{/*/}}-world', ['text "hello-"', 'error "unclosed comment"']],
  [
    'text with comment close separated from delim',
    'hello-{{/* */ }}-world',
    ['text "hello-"', 'error "comment ends before closing delimiter"'],
  ],
  ['unmatched right delimiter', 'hello-{.}}-world', ['text "hello-{.}}-world"', 'EOF']],
];

describe('text/template lexer (Go lex_test.go)', () => {
  it.each(lexTests)('%s', (_name, input, items) => {
    expect(tokens(input)).toEqual(items);
  });

  it('keeps break a function name when the set defines one', () => {
    expect(lex('{{break}}', { breakOK: false, continueOK: true }).map((t) => t.type)).toEqual([
      Tok.LeftDelim,
      Tok.Identifier,
      Tok.RightDelim,
      Tok.EOF,
    ]);
  });

  it.each([
    ['punctuation', '{{,@%#}}', [0, 2, 3, 4, 5, 6, 8]],
    ['sample', '0123{{hello}}xyz', [0, 4, 6, 11, 13, 16]],
    ['trimmed', '0123 {{- hello -}} xyz', [0, 5, 9, 16, 19, 22]],
  ])('positions: %s (lexPosTests)', (_name, input, positions) => {
    expect(lex(input, { breakOK: true, continueOK: true }).map((t) => t.pos)).toEqual(positions);
  });

  it('gives each token the line it starts on', () => {
    const toks = lex('a\nb {{ .X\n| printf\n"%d" }}\nc', { breakOK: true, continueOK: true });
    expect(toks.map((t) => `${t.line}:${t.val.replace(/\n/g, '\\n')}`)).toEqual([
      '1:a\\nb ',
      '2:{{',
      '2: ',
      '2:.X',
      '2:\\n',
      '3:|',
      '3: ',
      '3:printf',
      '3:\\n',
      '4:"%d"',
      '4: ',
      '4:}}',
      '4:\\nc',
      '5:',
    ]);
  });
});
