import { describe, expect, it } from 'vitest';
import { goSprint, goSprintf, goSprintln } from './fmt.ts';
import { TemplateSet } from './template-set.ts';
import type { MissingKey } from './exec.ts';

// Rows ported from Go's text/template/exec_test.go (execTests, cmpTests and friends) with the
// value model of values.ts: Go ints are bigints, float64s numbers, structs class instances,
// methods are function-valued properties.

class U {
  constructor(public V: string) {}
  TrueFalse(b: boolean): string {
    return b ? 'true' : '';
  }
}

class T {
  True = true;
  I = 17n;
  U16 = 16n;
  X = 'x';
  FloatZero = 0;
  U = new U('v');
  SI = [3n, 4n, 5n];
  SIEmpty: bigint[] = [];
  SB = [true, false];
  MSI = { one: 1n, two: 2n, three: 3n };
  MSIone = { one: 1n };
  MSIEmpty = {};
  MXI = { one: 1n };
  SMSI = [
    { one: 1n, two: 2n },
    { eleven: 11n, twelve: 12n },
  ];
  Empty0 = null;
  Empty1 = 3n;
  Empty2 = 'empty2';
  Empty3 = [7n, 8n];
  Empty4 = new U('UinEmpty');
  PS = 'a string';
  PSI = [21n, 22n, 23n];
  NIL = null;
  Method0(): string {
    return 'M0';
  }
  Method1(a: bigint): bigint {
    return a;
  }
  Method2(a: bigint, b: string): string {
    return goSprintf('Method2: %d %s', [a, b]);
  }
  Method3(v: unknown): string {
    return goSprintf('Method3: %v', [v]);
  }
  Copy(): T {
    return Object.assign(new T(), this);
  }
  MAdd(a: bigint, b: bigint[]): bigint[] {
    return b.map((x) => x + a);
  }
  MyError(fail: boolean): boolean {
    if (fail) throw new Error('my error');
    return false;
  }
  GetU(): U {
    return this.U;
  }
}

const tVal = new T();

const funcs = {
  add: (...args: bigint[]) => args.reduce((s, x) => s + x, 0n),
  echo: (arg: unknown) => arg,
  makemap: (...args: string[]) => {
    const m: Record<string, string> = {};
    for (let i = 0; i < args.length; i += 2) m[args[i] as string] = args[i + 1] as string;
    return m;
  },
  mapOfThree: () => ({ three: 3n }),
  oneArg: (a: string) => 'oneArg=' + a,
  twoArgs: (a: string, b: string) => 'twoArgs=' + a + b,
  typeOf: (arg: unknown) => goSprintf('%T', [arg]),
  zeroArgs: () => 'zeroArgs',
  count: (n: bigint) => (n === 0n ? null : 'abcdefghijklmnop'.slice(0, Number(n)).split('')),
  // Function values for `call`: Go's func-typed fields, here returned by functions.
  binaryFunc: () => (a: string, b: string) => `[${a}=${b}]`,
  variadicFunc:
    () =>
    (...s: string[]) =>
      goSprint(['<', s.join('+'), '>']),
  variadicFuncInt:
    () =>
    (a: bigint, ...s: string[]) =>
      goSprint([a, '=<', s.join('+'), '>']),
  errFunc: () => () => {
    throw new Error('bla');
  },
};

function run(input: string, data: unknown, missingKey: MissingKey = 'default'): string {
  const set = new TemplateSet({ funcs, missingKey });
  return set.parse('test', input).execute('test', data);
}

// [name, input, output, data]
const execTests: [string, string, string, unknown][] = [
  ['empty', '', '', null],
  ['text', 'some text', 'some text', null],
  ['ideal int', '{{typeOf 3}}', 'int', 0n],
  ['ideal float', '{{typeOf 1.0}}', 'float64', 0n],
  ['ideal exp float', '{{typeOf 1e1}}', 'float64', 0n],
  ['ideal big int', '{{typeOf 0x7fffffffffffffff}}', 'int', 0n],
  ['hex int is int', '{{printf `%T` 0xef}}', 'int', 0n],
  ['char is int', "{{'a'}} {{printf `%T` 'a'}}", '97 int', 0n],
  ['.X', '-{{.X}}-', '-x-', tVal],
  ['.U.V', '-{{.U.V}}-', '-v-', tVal],
  ['map .one', '{{.MSI.one}}', '1', tVal],
  ['map .two', '{{.MSI.two}}', '2', tVal],
  ['map .NO', '{{.MSI.NO}}', '<no value>', tVal],
  ['map .one interface', '{{.MXI.one}}', '1', tVal],
  ['dot int', '<{{.}}>', '<13>', 13n],
  ['dot float', '<{{.}}>', '<15.1>', 15.1],
  ['dot bool', '<{{.}}>', '<true>', true],
  ['dot string', '<{{.}}>', '<hello>', 'hello'],
  ['dot slice', '<{{.}}>', '<[-1 -2 -3]>', [-1n, -2n, -3n]],
  ['dot map', '<{{.}}>', '<map[two:22]>', { two: 22n }],
  ['$ int', '{{$}}', '123', 123n],
  ['$.I', '{{$.I}}', '17', tVal],
  ['$.U.V', '{{$.U.V}}', 'v', tVal],
  ['declare in action', '{{$x := $.U.V}}{{$x}}', 'v', tVal],
  ['*string', '{{.PS}}', 'a string', tVal],
  ['*[]int', '{{.PSI}}', '[21 22 23]', tVal],
  ['*[]int[1]', '{{index .PSI 1}}', '22', tVal],
  ['empty nil', '{{.Empty0}}', '<no value>', tVal],
  ['empty with int', '{{.Empty1}}', '3', tVal],
  ['empty with string', '{{.Empty2}}', 'empty2', tVal],
  ['empty with slice', '{{.Empty3}}', '[7 8]', tVal],
  ['empty with struct', '{{.Empty4}}', '{UinEmpty}', tVal],
  ['empty with struct, field', '{{.Empty4.V}}', 'UinEmpty', tVal],
  ['.Method0', '-{{.Method0}}-', '-M0-', tVal],
  ['.Method1(1234)', '-{{.Method1 1234}}-', '-1234-', tVal],
  ['.Method1(.I)', '-{{.Method1 .I}}-', '-17-', tVal],
  ['.Method2(3, .X)', '-{{.Method2 3 .X}}-', '-Method2: 3 x-', tVal],
  ['.Method2(.U16, `str`)', '-{{.Method2 .U16 `str`}}-', '-Method2: 16 str-', tVal],
  ['.Method2(.U16, $x)', '{{if $x := .X}}-{{.Method2 .U16 $x}}{{end}}-', '-Method2: 16 x-', tVal],
  ['.Method3(nil constant)', '-{{.Method3 nil}}-', '-Method3: <nil>-', tVal],
  ['.Method3(nil value)', '-{{.Method3 .MXI.unset}}-', '-Method3: <nil>-', tVal],
  ['method on var', '{{if $x := .}}-{{$x.Method2 .U16 $x.X}}{{end}}-', '-Method2: 16 x-', tVal],
  [
    'method on chained var',
    '{{range .MSIone}}{{if $.U.TrueFalse $.True}}{{$.U.TrueFalse $.True}}{{else}}WRONG{{end}}{{end}}',
    'true',
    tVal,
  ],
  [
    'chained method',
    '{{range .MSIone}}{{if $.GetU.TrueFalse $.True}}{{$.U.TrueFalse $.True}}{{else}}WRONG{{end}}{{end}}',
    'true',
    tVal,
  ],
  [
    'chained method on variable',
    '{{with $x := .}}{{with .SI}}{{$.GetU.TrueFalse $.True}}{{end}}{{end}}',
    'true',
    tVal,
  ],
  ['.BinaryFunc', '{{call binaryFunc `1` `2`}}', '[1=2]', tVal],
  ['.VariadicFunc0', '{{call variadicFunc}}', '<>', tVal],
  ['.VariadicFunc2', '{{call variadicFunc `he` `llo`}}', '<he+llo>', tVal],
  ['.VariadicFuncInt', '{{call variadicFuncInt 33 `he` `llo`}}', '33=<he+llo>', tVal],
  ['pipeline', '-{{.Method0 | .Method2 .U16}}-', '-Method2: 16 M0-', tVal],
  [
    'pipeline func',
    '-{{call variadicFunc `llo` | call variadicFunc `he` }}-',
    '-<he+<llo>>-',
    tVal,
  ],
  ['parens in pipeline', '{{printf `%d %d %d` (1) (2 | add 3) (add 4 (add 5 6))}}', '1 5 15', tVal],
  ['parens: $ in paren', '{{($).X}}', 'x', tVal],
  ['parens: $.GetU in paren', '{{($.GetU).V}}', 'v', tVal],
  ['parens: $ in paren in pipe', '{{($ | echo).X}}', 'x', tVal],
  ['parens: spaces and args', '{{(makemap "up" "down" "left" "right").left}}', 'right', tVal],
  ['if true', '{{if true}}TRUE{{end}}', 'TRUE', tVal],
  ['if false', '{{if false}}TRUE{{else}}FALSE{{end}}', 'FALSE', tVal],
  ['if 1', '{{if 1}}NON-ZERO{{else}}ZERO{{end}}', 'NON-ZERO', tVal],
  ['if 0', '{{if 0}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO', tVal],
  ['if 1.5', '{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}', 'NON-ZERO', tVal],
  ['if 0.0', '{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO', tVal],
  ['if emptystring', '{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY', tVal],
  ['if string', '{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY', tVal],
  ['if emptyslice', '{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY', tVal],
  ['if slice', '{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY', tVal],
  ['if emptymap', '{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY', tVal],
  ['if map', '{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY', tVal],
  ['if map unset', '{{if .MXI.none}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO', tVal],
  ['if map not unset', '{{if not .MXI.none}}ZERO{{else}}NON-ZERO{{end}}', 'ZERO', tVal],
  [
    'if $x with $y int',
    '{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}',
    'true,17',
    tVal,
  ],
  [
    'if $x with $x int',
    '{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}',
    '17,true',
    tVal,
  ],
  ['if else if', '{{if false}}FALSE{{else if true}}TRUE{{end}}', 'TRUE', tVal],
  ['if else chain', '{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}', '3', tVal],
  ['print', '{{print "hello, print"}}', 'hello, print', tVal],
  ['print 123', '{{print 1 2 3}}', '1 2 3', tVal],
  ['print nil', '{{print nil}}', '<nil>', tVal],
  ['println', '{{println 1 2 3}}', '1 2 3\n', tVal],
  ['printf int', '{{printf "%04x" 127}}', '007f', tVal],
  ['printf float', '{{printf "%g" 3.5}}', '3.5', tVal],
  ['printf string', '{{printf "%s" "hello"}}', 'hello', tVal],
  ['printf function', '{{printf "%#q" zeroArgs}}', '`zeroArgs`', tVal],
  ['printf field', '{{printf "%s" .U.V}}', 'v', tVal],
  ['printf method', '{{printf "%s" .Method0}}', 'M0', tVal],
  ['printf dot', '{{with .I}}{{printf "%d" .}}{{end}}', '17', tVal],
  ['printf var', '{{with $x := .I}}{{printf "%d" $x}}{{end}}', '17', tVal],
  ['printf lots', '{{printf "%d %s %g %s" 127 "hello" 7.5 .Method0}}', '127 hello 7.5 M0', tVal],
  [
    'html',
    '{{html "<script>alert(\\"XSS\\");</script>"}}',
    '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;',
    null,
  ],
  [
    'html pipeline',
    '{{printf "<script>alert(\\"XSS\\");</script>" | html}}',
    '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;',
    null,
  ],
  ['html field', '{{html .PS}}', 'a string', tVal],
  ['html of nil', '{{html .Missing}}', '&lt;no value&gt;', {}],
  ['js', '{{js .}}', "It\\'d be nice.", "It'd be nice."],
  [
    'js specials',
    '{{js .}}',
    '\\u003Ca href\\u003D\\"x\\"\\u003E \\u0026 \\u003D \\\\ \\u000A',
    '<a href="x"> & = \\ \n',
  ],
  ['urlquery', '{{"http://www.example.org/"|urlquery}}', 'http%3A%2F%2Fwww.example.org%2F', null],
  ['urlquery space', '{{urlquery "a b&c=ü"}}', 'a+b%26c%3D%C3%BC', null],
  ['not', '{{not true}} {{not false}}', 'false true', null],
  ['and', '{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}', 'false 0 0 1', null],
  ['or', '{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}', '0 1 true 1', null],
  ['or pipeline', '{{or 0 0 | or 1}} {{0 | or 0}} {{"" | and 1}}', '1 0 ', null],
  ['and short-circuits', '{{and false .Method0.Nope}}', 'false', tVal],
  ['or short-circuits', '{{or 1 (index nil 0)}}', '1', null],
  ['and undef', '{{and 1 .Unknown}}', '<no value>', {}],
  ['or undef', '{{or 0 .Unknown}}', '<no value>', {}],
  ['boolean if', '{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}', 'TRUE', tVal],
  ['boolean if not', '{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}', 'FALSE', null],
  ['slice[0]', '{{index .SI 0}}', '3', tVal],
  ['slice[1]', '{{index .SI 1}}', '4', tVal],
  ['map[one]', '{{index .MSI `one`}}', '1', tVal],
  ['map[two]', '{{index .MSI `two`}}', '2', tVal],
  ['map[NO]', '{{index .MSI `XXX`}}', '<no value>', tVal],
  ['map[``]', '{{index .MSI ``}}', '<no value>', tVal],
  ['double index', '{{index .SMSI 1 `eleven`}}', '11', tVal],
  ['index string', '{{index "hello" 1}}', '101', null],
  ['slice[:]', '{{slice .SI}}', '[3 4 5]', tVal],
  ['slice[1:]', '{{slice .SI 1}}', '[4 5]', tVal],
  ['slice[1:2]', '{{slice .SI 1 2}}', '[4]', tVal],
  ['slice[1:2:3]', '{{slice .SI 1 2 3}}', '[4]', tVal],
  ['string[:]', '{{slice "foobar"}}', 'foobar', null],
  ['string[1:3]', '{{slice "foobar" 1 3}}', 'oo', null],
  ['len slice', '{{len .SI}}', '3', tVal],
  ['len map', '{{len .MSI }}', '3', tVal],
  ['len string in bytes', '{{len "héllo"}}', '6', null],
  ['with true', '{{with true}}{{.}}{{end}}', 'true', tVal],
  ['with false', '{{with false}}{{.}}{{else}}FALSE{{end}}', 'FALSE', tVal],
  ['with 1', '{{with 1}}{{.}}{{else}}ZERO{{end}}', '1', tVal],
  ['with 0', '{{with 0}}{{.}}{{else}}ZERO{{end}}', 'ZERO', tVal],
  ['with 1.5', '{{with 1.5}}{{.}}{{else}}ZERO{{end}}', '1.5', tVal],
  ['with 0.0', '{{with .FloatZero}}{{.}}{{else}}ZERO{{end}}', 'ZERO', tVal],
  ['with emptystring', '{{with ``}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY', tVal],
  ['with string', '{{with `notempty`}}{{.}}{{else}}EMPTY{{end}}', 'notempty', tVal],
  ['with emptyslice', '{{with .SIEmpty}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY', tVal],
  ['with slice', '{{with .SI}}{{.}}{{else}}EMPTY{{end}}', '[3 4 5]', tVal],
  ['with emptymap', '{{with .MSIEmpty}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY', tVal],
  ['with map', '{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}', 'map[one:1]', tVal],
  ['with empty interface, struct field', '{{with .Empty4}}{{.V}}{{end}}', 'UinEmpty', tVal],
  ['with $x int', '{{with $x := .I}}{{$x}}{{end}}', '17', tVal],
  ['with $x struct.U.V', '{{with $x := $}}{{$x.U.V}}{{end}}', 'v', tVal],
  ['with variable and action', '{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}', 'v', tVal],
  ['with on typed nil interface value', '{{with .NIL}}not-nil{{else}}nil{{end}}', 'nil', tVal],
  ['else with', '{{with 0}}{{.}}{{else with true}}{{.}}{{end}}', 'true', tVal],
  [
    'else with chain',
    '{{with 0}}{{.}}{{else with false}}{{.}}{{else with `notempty`}}{{.}}{{end}}',
    'notempty',
    tVal,
  ],
  ['range []int', '{{range .SI}}-{{.}}-{{end}}', '-3--4--5-', tVal],
  ['range empty no else', '{{range .SIEmpty}}-{{.}}-{{end}}', '', tVal],
  ['range []int else', '{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}', '-3--4--5-', tVal],
  ['range empty else', '{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', 'EMPTY', tVal],
  [
    'range []int break else',
    '{{range .SI}}-{{.}}-{{break}}NOTREACHED{{else}}EMPTY{{end}}',
    '-3-',
    tVal,
  ],
  [
    'range []int continue else',
    '{{range .SI}}-{{.}}-{{continue}}NOTREACHED{{else}}EMPTY{{end}}',
    '-3--4--5-',
    tVal,
  ],
  ['range []bool', '{{range .SB}}-{{.}}-{{end}}', '-true--false-', tVal],
  ['range []int method', '{{range .SI | .MAdd .I}}-{{.}}-{{end}}', '-20--21--22-', tVal],
  ['range map', '{{range .MSI}}-{{.}}-{{end}}', '-1--3--2-', tVal],
  ['range empty map no else', '{{range .MSIEmpty}}-{{.}}-{{end}}', '', tVal],
  ['range map else', '{{range .MSI}}-{{.}}-{{else}}EMPTY{{end}}', '-1--3--2-', tVal],
  ['range empty map else', '{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', 'EMPTY', tVal],
  ['range empty interface', '{{range .Empty3}}-{{.}}-{{else}}EMPTY{{end}}', '-7--8-', tVal],
  ['range empty nil', '{{range .Empty0}}-{{.}}-{{end}}', '', tVal],
  ['range $x SI', '{{range $x := .SI}}<{{$x}}>{{end}}', '<3><4><5>', tVal],
  ['range $x $y SI', '{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}', '<0=3><1=4><2=5>', tVal],
  ['range $x MSIone', '{{range $x := .MSIone}}<{{$x}}>{{end}}', '<1>', tVal],
  ['range $x $y MSIone', '{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}', '<one=1>', tVal],
  ['range $x PSI', '{{range $x := .PSI}}<{{$x}}>{{end}}', '<21><22><23>', tVal],
  ['declare in range', '{{range $x := .PSI}}<{{$foo:=$x}}{{$x}}>{{end}}', '<21><22><23>', tVal],
  ['range count', '{{range $i, $x := count 5}}[{{$i}}]{{$x}}{{end}}', '[0]a[1]b[2]c[3]d[4]e', tVal],
  ['range nil count', '{{range $i, $x := count 0}}{{else}}empty{{end}}', 'empty', tVal],
  ['range int', '{{range 5}}{{.}}{{end}}', '01234', null],
  ['range int with var', '{{range $i := 3}}<{{$i}}>{{end}}', '<0><1><2>', null],
  ['range int zero else', '{{range 0}}x{{else}}none{{end}}', 'none', null],
  ['range assign', '{{$i := 9}}{{$v := 9}}{{range $i, $v = .SI}}{{end}}{{$i}} {{$v}}', '2 5', tVal],
  ['range break in if', '{{range .SI}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}', '3', tVal],
  [
    'range continue in with',
    '{{range .SI}}{{with eq . 4}}{{continue}}{{end}}{{.}}{{end}}',
    '35',
    tVal,
  ],
  ['or as if true', '{{or .SI "slice is empty"}}', '[3 4 5]', tVal],
  ['or as if false', '{{or .SIEmpty "slice is empty"}}', 'slice is empty', tVal],
  ['error method, no error', '{{.MyError false}}', 'false', tVal],
  ['bug0', '{{range .MSIone}}{{if $.Method1 .}}X{{end}}{{end}}', 'X', tVal],
  ['bug3', '{{with $}}{{.Method0}}{{end}}', 'M0', tVal],
  ['bug4', '{{if .Empty0}}non-nil{{else}}nil{{end}}', 'nil', tVal],
  ['bug9', '{{.cause}}', 'neglect', { cause: 'neglect' }],
  ['bug10', '{{mapOfThree.three}}-{{(mapOfThree).three}}', '3-3', 0n],
  ['bug13', '{{print (.Copy).I}}', '17', tVal],
  ['bug16g', '{{"aaa" |twoArgs "bbb"}}', 'twoArgs=bbbaaa', tVal],
  ['bug16i', '{{"aaa"|oneArg}}', 'oneArg=aaa', tVal],
  ['bug16k', '{{"aaa"|printf }}', 'aaa', tVal],
  ['variable assign', '{{$x := 1}}{{$x = 2}}{{$x}}', '2', null],
  ['variable assign in if', '{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}', '2', null],
  [
    'variable declared in if ends there',
    '{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}',
    '21',
    null,
  ],
  [
    'template call',
    '{{define "a"}}[{{.}}]{{end}}{{template "a" 3}}{{template "a"}}',
    '[3][<no value>]',
    null,
  ],
  [
    'template call has no dynamic scope',
    '{{define "a"}}{{$}}{{end}}{{$x := 1}}{{template "a" 2}}',
    '2',
    null,
  ],
  ['block', '{{block "b" .}}default {{.}}{{end}}', 'default 7', 7n],
  ['trim markers', 'a  {{- 1 -}}  b {{- /* c */ -}} c', 'a1bc', null],
];

describe('text/template execution (Go exec_test.go)', () => {
  it.each(execTests)('%s', (_name, input, output, data) => {
    expect(run(input, data)).toBe(output);
  });
});

// [name, input, data, error message]
const execErrors: [string, string, unknown, string][] = [
  [
    'nil action',
    '{{nil}}',
    null,
    'template: test:1:2: executing "test" at <nil>: nil is not a command',
  ],
  [
    'ideal too big',
    '{{typeOf 0x8000000000000000}}',
    0n,
    'template: test:1:9: executing "test" at <0x8000000000000000>: 0x8000000000000000 overflows int',
  ],
  [
    'map .WRONG args',
    '{{.MSI.one 1}}',
    tVal,
    'template: test:1:6: executing "test" at <.MSI.one>: one is not a method but has arguments',
  ],
  [
    'field of string',
    '{{.X.Y}}',
    tVal,
    'template: test:1:4: executing "test" at <.X.Y>: can\'t evaluate field Y in type string',
  ],
  [
    'field of int',
    'hello, {{.X.Y}}',
    0n,
    'template: test:1:11: executing "test" at <.X.Y>: can\'t evaluate field X in type int',
  ],
  [
    'missing struct field',
    '{{.Nope}}',
    tVal,
    'template: test:1:2: executing "test" at <.Nope>: can\'t evaluate field Nope in type *T',
  ],
  [
    'call nil',
    '{{call nil}}',
    tVal,
    'template: test:1:2: executing "test" at <call nil>: error calling call: call of nil',
  ],
  [
    'call non-function',
    '{{call .X}}',
    tVal,
    'template: test:1:2: executing "test" at <call .X>: error calling call: non-function .X of type string',
  ],
  [
    'call error',
    '{{call errFunc}}',
    tVal,
    'template: test:1:2: executing "test" at <call errFunc>: error calling call: bla',
  ],
  [
    'if nil',
    '{{if nil}}TRUE{{end}}',
    tVal,
    'template: test:1:5: executing "test" at <nil>: nil is not a command',
  ],
  [
    'slice[HUGE]',
    '{{index .SI 10}}',
    tVal,
    'template: test:1:2: executing "test" at <index .SI 10>: error calling index: index out of range: 10',
  ],
  [
    'slice[len]',
    '{{index .SI 3}}',
    tVal,
    'template: test:1:2: executing "test" at <index .SI 3>: error calling index: index out of range: 3',
  ],
  [
    'slice[WRONG]',
    '{{index .SI `hello`}}',
    tVal,
    'template: test:1:2: executing "test" at <index .SI `hello`>: error calling index: cannot index slice/array with type string',
  ],
  [
    'slice[nil]',
    '{{index .SI nil}}',
    tVal,
    'template: test:1:2: executing "test" at <index .SI nil>: error calling index: cannot index slice/array with nil',
  ],
  [
    'map[WRONG]',
    '{{index .MSI 10}}',
    tVal,
    'template: test:1:2: executing "test" at <index .MSI 10>: error calling index: value has type int; should be string',
  ],
  [
    'nil[1]',
    '{{index nil 1}}',
    tVal,
    'template: test:1:2: executing "test" at <index nil 1>: error calling index: index of untyped nil',
  ],
  [
    'index of int',
    '{{index 3 1}}',
    tVal,
    'template: test:1:2: executing "test" at <index 3 1>: error calling index: can\'t index item of type int',
  ],
  [
    'slice out of range',
    '{{slice .SI 2 10}}',
    tVal,
    'template: test:1:2: executing "test" at <slice .SI 2 10>: error calling slice: index out of range: 10',
  ],
  [
    'slice reversed',
    '{{slice .SI 2 1}}',
    tVal,
    'template: test:1:2: executing "test" at <slice .SI 2 1>: error calling slice: invalid slice index: 2 > 1',
  ],
  [
    'slice 3-index string',
    '{{slice "abc" 1 2 3}}',
    tVal,
    'template: test:1:2: executing "test" at <slice "abc" 1 2 3>: error calling slice: cannot 3-index slice a string',
  ],
  [
    'len of int',
    '{{len 3}}',
    tVal,
    'template: test:1:2: executing "test" at <len 3>: error calling len: len of type int',
  ],
  [
    'len of nothing',
    '{{len .Empty0}}',
    tVal,
    'template: test:1:2: executing "test" at <len .Empty0>: error calling len: len of nil pointer',
  ],
  [
    'error method, error',
    '{{.MyError true}}',
    tVal,
    'template: test:1:2: executing "test" at <.MyError>: error calling MyError: my error',
  ],
  [
    'bug7a',
    '{{3 2}}',
    tVal,
    'template: test:1:2: executing "test" at <3>: can\'t give argument to non-function 3',
  ],
  [
    'bug7b',
    '{{$x := 1}}{{$x 2}}',
    tVal,
    'template: test:1:13: executing "test" at <$x>: can\'t give argument to non-function $x',
  ],
  [
    'bug7c',
    '{{$x := 1}}{{3 | $x}}',
    tVal,
    'template: test:1:17: executing "test" at <$x>: can\'t give argument to non-function $x',
  ],
  [
    'bug14a',
    '{{(nil).True}}',
    tVal,
    'template: test:1:3: executing "test" at <nil>: nil is not a command',
  ],
  [
    'bug14c',
    '{{$x := (1.0)}}{{$y := ("hello")}}{{$x.anything}}{{$y.true}}',
    tVal,
    'template: test:1:38: executing "test" at <$x.anything>: can\'t evaluate field anything in type float64',
  ],
  [
    'range over float',
    '{{range 1.5}}{{end}}',
    tVal,
    'template: test:1:8: executing "test" at <1.5>: range can\'t iterate over 1.5',
  ],
  [
    'range int two vars',
    '{{range $i, $v := 3}}{{end}}',
    tVal,
    'template: test:1:18: executing "test" at <3>: can\'t use 3 to iterate over more than one variable',
  ],
  [
    'wrong arg count',
    '{{not 1 2}}',
    tVal,
    'template: test:1:2: executing "test" at <not>: wrong number of args for not: want 1 got 2',
  ],
  [
    'too few args',
    '{{printf}}',
    tVal,
    'template: test:1:2: executing "test" at <printf>: wrong number of args for printf: want at least 1 got 0',
  ],
  [
    'eq of nothing',
    '{{eq 1}}',
    tVal,
    'template: test:1:2: executing "test" at <eq 1>: error calling eq: missing argument for comparison',
  ],
  [
    'undefined template',
    '{{template "nope" .}}',
    tVal,
    'template: test:1:11: executing "test" at <{{template "nope" .}}>: template "nope" not defined',
  ],
  [
    "can't print a function",
    '{{binaryFunc}}',
    tVal,
    'template: test:1:2: executing "test" at <{{binaryFunc}}>: can\'t print {{binaryFunc}} of type func',
  ],
];

describe('text/template execution errors', () => {
  it.each(execErrors)('%s', (_name, input, data, message) => {
    expect(() => run(input, data)).toThrow(message);
    try {
      run(input, data);
    } catch (e) {
      expect((e as Error).message).toBe(message);
    }
  });

  it('names the nested template and its line (TestExecError)', () => {
    const text = [
      'line 1',
      'line 2',
      'line 3',
      '{{template "one" .}}',
      '{{define "one"}}{{template "two" .}}{{end}}',
      '{{define "two"}}{{template "three" .}}{{end}}',
      '{{define "three"}}{{index "hi" $}}{{end}}',
    ].join('\n');
    const set = new TemplateSet({ missingKey: 'default' }).parse('top', text);
    expect(() => set.execute('top', 5n)).toThrow(
      'template: top:7:20: executing "three" at <index "hi" $>: error calling index: index out of range: 5',
    );
  });
});

// cmpTests: {{if EXPR}}true{{else}}false{{end}} with Go's comparison rules.
const cmpStruct = { Uthree: 3n, Ufour: 4n, NegOne: -1n, Three: 3n };
const cmpTests: [string, string][] = [
  ['eq true true', 'true'],
  ['eq true false', 'false'],
  ['eq 1.5 1.5', 'true'],
  ['eq 1.5 2.5', 'false'],
  ['eq 1 1', 'true'],
  ['eq 1 2', 'false'],
  ['eq `xy` `xy`', 'true'],
  ['eq `xy` `xyz`', 'false'],
  ['eq .Uthree .Uthree', 'true'],
  ['eq .Uthree .Ufour', 'false'],
  ['eq 3 4 5 6 3', 'true'],
  ['eq 3 4 5 6 7', 'false'],
  ['ne true true', 'false'],
  ['ne true false', 'true'],
  ['ne 1.5 1.5', 'false'],
  ['ne 1.5 2.5', 'true'],
  ['ne 1 1', 'false'],
  ['ne 1 2', 'true'],
  ['ne `xy` `xy`', 'false'],
  ['ne `xy` `xyz`', 'true'],
  ['lt 1.5 1.5', 'false'],
  ['lt 1.5 2.5', 'true'],
  ['lt 1 1', 'false'],
  ['lt 1 2', 'true'],
  ['lt `xy` `xy`', 'false'],
  ['lt `xy` `xyz`', 'true'],
  ['le 1.5 1.5', 'true'],
  ['le 2.5 1.5', 'false'],
  ['le 1 1', 'true'],
  ['le 2 1', 'false'],
  ['le `xyz` `xy`', 'false'],
  ['gt 1.5 1.5', 'false'],
  ['gt 2 1', 'true'],
  ['gt `xy` `xyz`', 'false'],
  ['ge 1.5 1.5', 'true'],
  ['ge 1 2', 'false'],
  ['ge `xyz` `xy`', 'true'],
  ['lt .NegOne .Uthree', 'true'],
  ['gt .Uthree .NegOne', 'true'],
  ["eq (index `x` 0) 'x'", 'true'],
  ["eq (index `x` 0) 'y'", 'false'],
  ['eq .Missing nil', 'true'],
  ['eq nil .Missing', 'true'],
  ['eq .Missing "x"', 'false'],
  ['eq "x" .Missing', 'false'],
];
const cmpErrors: [string, string][] = [
  ['eq `xy` 1', 'incompatible types for comparison'],
  ['eq 2 2.0', 'incompatible types for comparison'],
  ['lt true true', 'invalid type for comparison'],
  ['lt 1 1.5', 'incompatible types for comparison'],
  ['lt .Missing 1', 'invalid type for comparison'],
  ['eq .SI .SI', 'non-comparable type [1 2]: []interface {}'],
];

describe('comparison functions (Go cmpTests)', () => {
  it.each(cmpTests)('%s', (expr, truth) => {
    expect(run(`{{if ${expr}}}true{{else}}false{{end}}`, cmpStruct)).toBe(truth);
  });
  it.each(cmpErrors)('%s fails', (expr, message) => {
    const name = expr.split(' ')[0] as string;
    expect(() =>
      run(`{{if ${expr}}}true{{else}}false{{end}}`, { ...cmpStruct, SI: [1n, 2n] }),
    ).toThrow(
      `template: test:1:5: executing "test" at <${expr}>: error calling ${name}: ${message}`,
    );
  });
});

describe('missing keys (TestMissingMapKey)', () => {
  const data = { x: 99n };
  it('default: <no value>', () => {
    expect(run('{{.x}} {{.y}}', data, 'default')).toBe('99 <no value>');
  });
  it('zero: the zero of interface{}, printed as <no value>', () => {
    expect(run('{{.x}} {{.y}}', data, 'zero')).toBe('99 <no value>');
  });
  it('error: map has no entry for key', () => {
    expect(() => run('{{.x}} {{.y}}', data, 'error')).toThrow(
      'template: test:1:9: executing "test" at <.y>: map has no entry for key "y"',
    );
  });
  it('error on nil data', () => {
    expect(() => run('{{.x}}', null, 'error')).toThrow(
      'template: test:1:2: executing "test" at <.x>: nil data; no entry for key "x"',
    );
  });
  it('a field of a missing key: no value by default, nil pointer under zero', () => {
    expect(run('{{.a.b}}', {}, 'default')).toBe('<no value>');
    expect(() => run('{{.a.b}}', {}, 'zero')).toThrow(
      'template: test:1:4: executing "test" at <.a.b>: nil pointer evaluating interface {}.b',
    );
  });
  it('a field of a nil value held in a map fails in every mode', () => {
    expect(() => run('{{.a.b}}', { a: null }, 'default')).toThrow(
      'nil pointer evaluating interface {}.b',
    );
  });
  it('a field of a nil variable or parenthesised nil is no value', () => {
    expect(run('{{$x := .a}}{{$x.b}} {{(.a).b}}', {}, 'zero')).toBe('<no value> <no value>');
  });
  it('a field of a nil range element fails', () => {
    expect(() => run('{{range .l}}{{.b}}{{end}}', { l: [null] }, 'zero')).toThrow(
      'template: test:1:14: executing "test" at <.b>: nil pointer evaluating interface {}.b',
    );
  });
  it('a field of a string held in a map names interface {}', () => {
    expect(() => run('{{.a.b}}', { a: 'x' }, 'zero')).toThrow(
      'template: test:1:4: executing "test" at <.a.b>: can\'t evaluate field b in type interface {}',
    );
  });
  it('does not see Object.prototype through map keys', () => {
    expect(run('{{.constructor}} {{.toString}}', {}, 'zero')).toBe('<no value> <no value>');
  });
});

describe('print helpers used by functions', () => {
  it('Sprint adds spaces between operands when neither is a string', () => {
    expect(goSprint([1n, 2n, 'a', 3n, 'b', 'c', null, 1.5])).toBe('1 2a3bc<nil> 1.5');
    expect(goSprintln(['a', 1n, null])).toBe('a 1 <nil>\n');
  });
});

describe('Stringer and error values (Go bug5, bug5a)', () => {
  class Version {
    constructor(readonly Major: string) {}
    String(): string {
      return `v${this.Major}.0`;
    }
  }
  it('prints a struct through its String method, in actions and in printf', () => {
    const data = { V: new Version('1'), Err: new Error('erroozle') };
    expect(run('{{.V}} {{.Err}} {{printf "%s|%q|%v" .V .V .Err}} {{.V.Major}}', data)).toBe(
      'v1.0 erroozle v1.0|"v1.0"|erroozle 1',
    );
  });
});

describe('number literals', () => {
  it.each([
    ['{{0x1p60}}', '1.152921504606847e+18'],
    ['{{printf "%T" 0x1p-2}} {{0x1p-2}}', 'float64 0.25'],
    ['{{0x_1F}} {{0o17}} {{017}} {{0b101}} {{1_000}} {{-0x10}}', '31 15 15 5 1000 -16'],
    ['{{1e3}} {{.5}} {{1.}} {{-2.5e-3}}', '1000 0.5 1 -0.0025'],
    ['{{"\\u00e9\\x41\\101\\t|"}} {{`raw\\n`}}', 'éAA\t| raw\\n'],
  ])('%s', (input, out) => {
    expect(run(input, null)).toBe(out);
  });
});
