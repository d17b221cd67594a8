import { EngineError } from '../errors.ts';
import type { LabelSelector, LabelSelectorRequirement } from '../types.ts';
import { labelKeyProblem, labelValueProblem } from './label-syntax.ts';

/**
 * Parses the string form of a label selector, as `kubectl get -l` takes it:
 * `env=prod`, `env==prod`, `env!=prod`, `env in (prod,test)`, `env notin (dev)`, `canary`,
 * `!canary`, joined by commas (all must hold). An empty or blank string is the empty selector,
 * which matches every cluster, as in Kubernetes.
 *
 * Every requirement becomes a matchExpression (`=` is In with one value, `!=` NotIn with one
 * value) so that `env=a,env=b` keeps meaning "nothing", which matchLabels could not express.
 * Errors name the 1-based column: `at position 9: expected "(" after "in", found "a"`.
 */
export function parseSelector(text: string): LabelSelector {
  const parser = new SelectorParser(text);
  const requirements = parser.parse();
  return requirements.length === 0 ? {} : { matchExpressions: requirements };
}

type TokenKind = 'word' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '<' | '>' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column of the token's first character. */
  position: number;
}

const SINGLE_CHAR_TOKENS = new Set(['(', ')', ',', '<', '>']);
// Kubernetes' lexer ends an identifier at whitespace or any of these.
const SPECIAL_CHARS = new Set(['(', ')', ',', '<', '>', '!', '=']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text.charAt(index);
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    const position = index + 1;
    const next = text.charAt(index + 1);
    if (SINGLE_CHAR_TOKENS.has(char)) {
      tokens.push({ kind: char as TokenKind, text: char, position });
      index += 1;
    } else if ((char === '!' || char === '=') && next === '=') {
      const kind = char === '!' ? '!=' : '==';
      tokens.push({ kind, text: kind, position });
      index += 2;
    } else if (char === '!' || char === '=') {
      tokens.push({ kind: char, text: char, position });
      index += 1;
    } else {
      let end = index;
      while (
        end < text.length &&
        !/\s/.test(text.charAt(end)) &&
        !SPECIAL_CHARS.has(text.charAt(end))
      ) {
        end += 1;
      }
      tokens.push({ kind: 'word', text: text.slice(index, end), position });
      index = end;
    }
  }
  tokens.push({ kind: 'end', text: '', position: text.length + 1 });
  return tokens;
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'the end of the selector' : `"${token.text}"`;
}

class SelectorParser {
  private readonly tokens: Token[];
  private readonly endToken: Token;
  private index = 0;

  constructor(text: string) {
    this.tokens = tokenize(text);
    this.endToken = { kind: 'end', text: '', position: text.length + 1 };
  }

  parse(): LabelSelectorRequirement[] {
    const requirements: LabelSelectorRequirement[] = [];
    if (this.peek().kind === 'end') return requirements;
    for (;;) {
      requirements.push(this.parseRequirement());
      const separator = this.next();
      if (separator.kind === 'end') return requirements;
      if (separator.kind !== ',') {
        throw this.error(
          separator,
          `expected "," or the end of the selector, found ${describe(separator)}`,
        );
      }
      if (this.peek().kind === 'end') {
        throw this.error(this.peek(), 'expected a requirement after ","');
      }
    }
  }

  private parseRequirement(): LabelSelectorRequirement {
    const first = this.next();
    if (first.kind === '!') {
      const key = this.next();
      if (key.kind !== 'word')
        throw this.error(key, `expected a label key after "!", found ${describe(key)}`);
      return { key: this.validKey(key), operator: 'DoesNotExist' };
    }
    if (first.kind !== 'word') {
      throw this.error(first, `expected a label key or "!", found ${describe(first)}`);
    }
    const key = this.validKey(first);
    const operator = this.peek();
    switch (operator.kind) {
      case ',':
      case 'end':
        return { key, operator: 'Exists' };
      case '=':
      case '==':
      case '!=':
        this.next();
        return {
          key,
          operator: operator.kind === '!=' ? 'NotIn' : 'In',
          values: [this.parseExactValue(operator)],
        };
      case '<':
      case '>':
        throw this.error(
          operator,
          `operator "${operator.text}" is not supported in label selectors; use =, ==, !=, in or notin`,
        );
      case 'word':
        if (operator.text === 'in' || operator.text === 'notin') {
          this.next();
          return {
            key,
            operator: operator.text === 'in' ? 'In' : 'NotIn',
            values: this.parseSet(operator),
          };
        }
        break;
      default:
        break;
    }
    throw this.error(
      operator,
      `expected an operator (=, ==, !=, in, notin), "," or the end after "${key}", found ${describe(operator)}`,
    );
  }

  /** `k=` with nothing after it selects the empty value, as Kubernetes allows. */
  private parseExactValue(operator: Token): string {
    const value = this.peek();
    if (value.kind === ',' || value.kind === 'end') return '';
    if (value.kind !== 'word') {
      throw this.error(
        value,
        `expected a value after "${operator.text}", found ${describe(value)}`,
      );
    }
    this.next();
    return this.validValue(value);
  }

  /**
   * `(a,b)`. Like Kubernetes, an empty entry (`()`, `(a,)`, `(a,,b)`) stands for the empty
   * value rather than being an error; duplicates collapse.
   */
  private parseSet(operator: Token): string[] {
    const open = this.next();
    if (open.kind !== '(') {
      throw this.error(open, `expected "(" after "${operator.text}", found ${describe(open)}`);
    }
    const values: string[] = [];
    let expectingValue = true;
    for (;;) {
      const token = this.next();
      if (token.kind === 'word' && expectingValue) {
        values.push(this.validValue(token));
        expectingValue = false;
      } else if (token.kind === ',' || token.kind === ')') {
        if (expectingValue) values.push('');
        if (token.kind === ')') return [...new Set(values)];
        expectingValue = true;
      } else {
        const expected = expectingValue ? 'a value, "," or ")"' : '"," or ")"';
        throw this.error(token, `expected ${expected} in the value list, found ${describe(token)}`);
      }
    }
  }

  private validKey(token: Token): string {
    const problem = labelKeyProblem(token.text);
    if (problem) throw this.error(token, `invalid label key "${token.text}": ${problem}`);
    return token.text;
  }

  private validValue(token: Token): string {
    const problem = labelValueProblem(token.text);
    if (problem) throw this.error(token, `invalid label value "${token.text}": ${problem}`);
    return token.text;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.endToken;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  private error(token: Token, what: string): EngineError {
    return new EngineError(
      'SelectorInvalid',
      `Invalid label selector at position ${token.position}: ${what}`,
      `position ${token.position}`,
    );
  }
}
