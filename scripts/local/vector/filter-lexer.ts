/**
 * Tokens of the metadata filter language (UPSTASH_PROTOCOLS.md §2.7). Keywords are not special here:
 * they come out as words and the parser decides by position, so a field may be named `in` or `field`.
 */
export type TokenType = 'word' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'comma' | 'end';

export interface Token {
  type: TokenType;
  /** The source text of the token (for strings: the decoded value). */
  text: string;
  /** Offset of the token's first character in the filter, 0-based: the position errors name. */
  pos: number;
  /** Parsed value of a number token. */
  num?: number;
}

export class FilterSyntaxError extends Error {
  constructor(
    readonly pos: number,
    detail: string,
  ) {
    super(`Invalid filter: ${detail} at position ${pos}`);
    this.name = 'FilterSyntaxError';
  }
}

// A field path as one token: the documented shape [a-zA-Z_][a-zA-Z_0-9.\[\]#-]*, widened to Unicode
// letters because metadata keys may be any string.
const WORD = /[\p{L}_][\p{L}\p{N}_.[\]#-]*/uy;
// Exponents and a leading "+" or "." are accepted (§4 item 9 leaves them open; accepting is harmless).
const NUMBER = /[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/y;
const OPS = ['<=', '>=', '!=', '=', '<', '>'] as const;

export function lex(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, pos: start });
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const { value, end } = readString(src, i);
      tokens.push({ type: 'string', text: value, pos: start });
      i = end;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      tokens.push({ type: 'op', text: op, pos: start });
      i += op.length;
      continue;
    }
    const m = matchAt(NUMBER, src, i) ?? matchAt(WORD, src, i);
    if (!m) throw new FilterSyntaxError(start, `unexpected character '${c}'`);
    const isNumber = /^[-+.\d]/.test(m);
    tokens.push(isNumber ? { type: 'number', text: m, pos: start, num: Number(m) } : { type: 'word', text: m, pos: start });
    i += m.length;
  }
  tokens.push({ type: 'end', text: '', pos: src.length });
  return tokens;
}

function matchAt(re: RegExp, src: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(src)?.[0];
}

/**
 * A quoted string. The docs do not say how to escape a quote (§4 item 9); we accept a backslash before
 * the quote character or another backslash, and keep any other backslash literally (so 'C:\dir' works).
 */
function readString(src: string, start: number): { value: string; end: number } {
  const quote = src[start]!;
  let value = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\' && (src[i + 1] === quote || src[i + 1] === '\\')) {
      value += src[i + 1];
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  throw new FilterSyntaxError(start, 'unterminated string');
}
