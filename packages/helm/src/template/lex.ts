/**
 * The lexer of Go's text/template (text/template/parse/lex.go), token for token, so that parse
 * errors carry the same wording and line numbers as Go's.
 */

export const enum Tok {
  Error,
  Bool,
  Char,
  CharConstant,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  // Keywords come after Keyword, as in Go: their String() form is <word>.
  Keyword,
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

export interface Token {
  type: Tok;
  /** UTF-16 offset in the template text. */
  pos: number;
  val: string;
  /** 1-based line at the start of the token. */
  line: number;
}

const keywords: ReadonlyMap<string, Tok> = new Map([
  ['.', Tok.Dot],
  ['block', Tok.Block],
  ['break', Tok.Break],
  ['continue', Tok.Continue],
  ['define', Tok.Define],
  ['else', Tok.Else],
  ['end', Tok.End],
  ['if', Tok.If],
  ['range', Tok.Range],
  ['nil', Tok.Nil],
  ['template', Tok.Template],
  ['with', Tok.With],
]);

const LEFT = '{{';
const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';

/** Go's item.String(), used in "unexpected X in Y" parse errors. */
export function tokenString(t: Token): string {
  if (t.type === Tok.EOF) return 'EOF';
  if (t.type === Tok.Error) return t.val;
  if (t.type > Tok.Keyword) return `<${t.val}>`;
  const chars = [...t.val];
  if (chars.length > 10) return `${goQuoteShort(chars.slice(0, 10).join(''))}...`;
  return goQuoteShort(t.val);
}

function goQuoteShort(s: string): string {
  // Tokens are source text; JSON quoting matches strconv.Quote for everything but control
  // characters and non-ASCII escapes, which cannot occur in the tokens printed here.
  return JSON.stringify(s);
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

const alnum = /^[\p{L}\p{Nd}_]$/u;
function isAlphaNumeric(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 0x80) {
    return (
      (code >= 0x30 && code <= 0x39) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x61 && code <= 0x7a) ||
      code === 0x5f
    );
  }
  return alnum.test(c);
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s[at] === '-' && isSpace(s[at + 1]);
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return isSpace(s[at]) && s[at + 1] === '-';
}

function goRune(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

/**
 * Lexes the whole text at once. After an error token the stream ends (Go's lexer stops there
 * too); the parser reports the error when it reaches it.
 */
export function lex(input: string, options: { breakOK: boolean; continueOK: boolean }): Token[] {
  const items: Token[] = [];
  let start = 0;
  let pos = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;
  const n = input.length;

  const countLines = (from: number, to: number): number => {
    let c = 0;
    for (let i = from; i < to; i++) if (input.charCodeAt(i) === 10) c++;
    return c;
  };
  const emit = (type: Tok): void => {
    items.push({ type, pos: start, val: input.slice(start, pos), line: startLine });
    line = startLine + countLines(start, pos);
    start = pos;
    startLine = line;
  };
  const ignore = (): void => {
    line = startLine + countLines(start, pos);
    start = pos;
    startLine = line;
  };
  const error = (msg: string): Token[] => {
    items.push({ type: Tok.Error, pos: start, val: msg, line: startLine });
    return items;
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (hasRightTrimMarker(input, pos) && input.startsWith(RIGHT, pos + 2)) {
      return { delim: true, trim: true };
    }
    return { delim: input.startsWith(RIGHT, pos), trim: false };
  };
  const atTerminator = (): boolean => {
    const c = input[pos];
    if (c === undefined || isSpace(c)) return true;
    switch (c) {
      case '.':
      case ',':
      case '|':
      case ':':
      case ')':
      case '(':
        return true;
    }
    return input.startsWith(RIGHT, pos);
  };
  const nextChar = (): string | undefined => {
    if (pos >= n) return undefined;
    const code = input.charCodeAt(pos);
    // Fast path: one UTF-16 unit (V8 interns one-character strings; no allocation).
    if (code < 0xd800 || code >= 0xe000) return input[pos++];
    const cp = input.codePointAt(pos) ?? 0;
    const c = String.fromCodePoint(cp);
    pos += c.length;
    return c;
  };
  const accept = (valid: string): boolean => {
    const c = input[pos];
    if (c !== undefined && valid.includes(c)) {
      pos++;
      return true;
    }
    return false;
  };
  const acceptRun = (valid: string): void => {
    while (pos < n && valid.includes(input[pos] as string)) pos++;
  };
  const scanNumber = (): boolean => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (isAlphaNumeric(input[pos])) {
      nextChar();
      return false;
    }
    return true;
  };

  let insideAction = false;
  for (;;) {
    if (!insideAction) {
      // lexText
      const x = input.indexOf(LEFT, pos);
      if (x < 0) {
        pos = n;
        if (pos > start) emit(Tok.Text);
        emit(Tok.EOF);
        return items;
      }
      if (x > pos) {
        pos = x;
        let trimLength = 0;
        if (hasLeftTrimMarker(input, pos + LEFT.length)) {
          // A scan back, not /[ \t\r\n]+$/: that regex is quadratic on a large text.
          let j = pos;
          while (j > start && isSpace(input[j - 1])) j--;
          trimLength = pos - j;
        }
        pos -= trimLength;
        if (pos > start) emit(Tok.Text);
        pos += trimLength;
        ignore();
      }
      // lexLeftDelim
      pos += LEFT.length;
      const trim = hasLeftTrimMarker(input, pos);
      const afterMarker = trim ? 2 : 0;
      if (input.startsWith(LEFT_COMMENT, pos + afterMarker)) {
        pos += afterMarker;
        ignore();
        // lexComment
        pos += LEFT_COMMENT.length;
        const end = input.indexOf(RIGHT_COMMENT, pos);
        if (end < 0) return error('unclosed comment');
        pos = end + RIGHT_COMMENT.length;
        const rd = atRightDelim();
        if (!rd.delim) return error('comment ends before closing delimiter');
        if (rd.trim) pos += 2;
        pos += RIGHT.length;
        if (rd.trim) while (pos < n && isSpace(input[pos])) pos++;
        ignore();
        continue;
      }
      const leftPos = start;
      items.push({ type: Tok.LeftDelim, pos: leftPos, val: LEFT, line: startLine });
      pos += afterMarker;
      ignore();
      insideAction = true;
      parenDepth = 0;
      continue;
    }
    // lexInsideAction
    const rd = atRightDelim();
    if (rd.delim) {
      if (parenDepth !== 0) return error('unclosed left paren');
      if (rd.trim) {
        pos += 2;
        ignore();
      }
      pos += RIGHT.length;
      emit(Tok.RightDelim);
      if (rd.trim) {
        while (pos < n && isSpace(input[pos])) pos++;
        ignore();
      }
      insideAction = false;
      continue;
    }
    const r = nextChar();
    if (r === undefined) return error('unclosed action');
    if (isSpace(r)) {
      // lexSpace; a space before "-}}" belongs to the trim marker.
      pos--;
      let numSpaces = 0;
      while (isSpace(input[pos])) {
        pos++;
        numSpaces++;
      }
      if (hasRightTrimMarker(input, pos - 1) && input.startsWith(RIGHT, pos + 1)) {
        pos--;
        if (numSpaces === 1) continue;
      }
      emit(Tok.Space);
      continue;
    }
    switch (r) {
      case '=':
        emit(Tok.Assign);
        continue;
      case ':':
        if (nextChar() !== '=') return error('expected :=');
        emit(Tok.Declare);
        continue;
      case '|':
        emit(Tok.Pipe);
        continue;
      case '"': {
        for (;;) {
          const c = nextChar();
          if (c === '\\') {
            const e = nextChar();
            if (e !== undefined && e !== '\n') continue;
            return error('unterminated quoted string');
          }
          if (c === undefined || c === '\n') return error('unterminated quoted string');
          if (c === '"') break;
        }
        emit(Tok.String);
        continue;
      }
      case '`': {
        const end = input.indexOf('`', pos);
        if (end < 0) return error('unterminated raw quoted string');
        pos = end + 1;
        emit(Tok.RawString);
        continue;
      }
      case "'": {
        for (;;) {
          const c = nextChar();
          if (c === '\\') {
            const e = nextChar();
            if (e !== undefined && e !== '\n') continue;
            return error('unterminated character constant');
          }
          if (c === undefined || c === '\n') return error('unterminated character constant');
          if (c === "'") break;
        }
        emit(Tok.CharConstant);
        continue;
      }
      case '$':
      case '.': {
        if (r === '.') {
          const c = input[pos];
          if (c !== undefined && c >= '0' && c <= '9') {
            pos--;
            if (!lexNumber()) return items;
            continue;
          }
        }
        const typ = r === '$' ? Tok.Variable : Tok.Field;
        if (atTerminator()) {
          emit(typ === Tok.Variable ? Tok.Variable : Tok.Dot);
          continue;
        }
        let c: string | undefined;
        for (;;) {
          const before = pos;
          c = nextChar();
          if (!isAlphaNumeric(c)) {
            pos = before;
            break;
          }
        }
        if (!atTerminator()) return error(`bad character ${goRune(c ?? '')}`);
        emit(typ);
        continue;
      }
      case '(':
        parenDepth++;
        emit(Tok.LeftParen);
        continue;
      case ')':
        parenDepth--;
        if (parenDepth < 0) return error('unexpected right paren');
        emit(Tok.RightParen);
        continue;
    }
    if (r === '+' || r === '-' || (r >= '0' && r <= '9')) {
      pos--;
      if (!lexNumber()) return items;
      continue;
    }
    if (isAlphaNumeric(r)) {
      let c: string | undefined;
      for (;;) {
        const before = pos;
        c = nextChar();
        if (!isAlphaNumeric(c)) {
          pos = before;
          break;
        }
      }
      const word = input.slice(start, pos);
      if (!atTerminator()) return error(`bad character ${goRune(c ?? '')}`);
      const kw = keywords.get(word);
      if (kw !== undefined && kw !== Tok.Dot) {
        if (
          (kw === Tok.Break && !options.breakOK) ||
          (kw === Tok.Continue && !options.continueOK)
        ) {
          emit(Tok.Identifier);
        } else {
          emit(kw);
        }
      } else if (word === 'true' || word === 'false') {
        emit(Tok.Bool);
      } else {
        emit(Tok.Identifier);
      }
      continue;
    }
    const code = r.codePointAt(0) ?? 0;
    if (code < 0x7f && code >= 0x20) {
      emit(Tok.Char);
      continue;
    }
    return error(`unrecognized character in action: ${goRune(r)}`);
  }

  function lexNumber(): boolean {
    if (!scanNumber()) {
      error(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
      return false;
    }
    const sign = input[pos];
    if (sign === '+' || sign === '-') {
      if (!scanNumber() || input[pos - 1] !== 'i') {
        error(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
        return false;
      }
      emit(Tok.Complex);
      return true;
    }
    emit(Tok.Number);
    return true;
  }
}
