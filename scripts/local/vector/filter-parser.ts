/**
 * A recursive-descent parser for the metadata filter language (UPSTASH_PROTOCOLS.md §2.7):
 *
 *   or_expr   = and_expr { OR and_expr }          AND binds tighter than OR
 *   and_expr  = term { AND term }
 *   term      = "(" or_expr ")" | predicate
 *   predicate = path cmp literal | path [NOT] GLOB string | path [NOT] IN "(" literal {"," literal} ")"
 *             | path [NOT] CONTAINS literal | HAS FIELD path | HAS NOT FIELD path
 *
 * Keywords are case-insensitive and recognised by position only.
 */
import { FilterSyntaxError, lex, type Token } from './filter-lexer.js';
import { parsePath, type PathSegment } from './filter-path.js';
import { globToRegExp } from './glob.js';

export type Literal = string | number | boolean;
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterNode =
  | { kind: 'or' | 'and'; items: FilterNode[] }
  | { kind: 'compare'; path: PathSegment[]; op: CompareOp; value: Literal }
  | { kind: 'glob'; path: PathSegment[]; negated: boolean; pattern: string }
  | { kind: 'in'; path: PathSegment[]; negated: boolean; values: Literal[] }
  | { kind: 'contains'; path: PathSegment[]; negated: boolean; value: Literal }
  | { kind: 'has'; path: PathSegment[]; negated: boolean };

export function parseFilter(src: string): FilterNode {
  const p = new Parser(lex(src));
  const node = p.orExpr();
  const rest = p.peek();
  if (rest.type !== 'end') throw new FilterSyntaxError(rest.pos, `unexpected '${rest.text}'`);
  return node;
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.type === 'word' && t.text.toUpperCase() === word;
  }

  private expect(type: Token['type'], what: string): Token {
    const t = this.next();
    if (t.type !== type) throw new FilterSyntaxError(t.pos, `expected ${what}, found ${describe(t)}`);
    return t;
  }

  orExpr(): FilterNode {
    const items = [this.andExpr()];
    while (this.isKeyword(this.peek(), 'OR')) {
      this.next();
      items.push(this.andExpr());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private andExpr(): FilterNode {
    const items = [this.term()];
    while (this.isKeyword(this.peek(), 'AND')) {
      this.next();
      items.push(this.term());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private term(): FilterNode {
    if (this.peek().type === 'lparen') {
      this.next();
      const inner = this.orExpr();
      this.expect('rparen', "')'");
      return inner;
    }
    return this.predicate();
  }

  private predicate(): FilterNode {
    const head = this.expect('word', 'a field name or HAS');
    const hasField = this.isKeyword(this.peek(), 'FIELD');
    const hasNotField = this.isKeyword(this.peek(), 'NOT') && this.isKeyword(this.peek(1), 'FIELD');
    if (this.isKeyword(head, 'HAS') && (hasField || hasNotField)) {
      this.i += hasNotField ? 2 : 1;
      const field = this.expect('word', 'a field name');
      return { kind: 'has', path: parsePath(field.text, field.pos), negated: hasNotField };
    }
    const path = parsePath(head.text, head.pos);
    const t = this.next();
    if (t.type === 'op') return this.comparison(path, t);
    const negated = this.isKeyword(t, 'NOT');
    const kw = negated ? this.next() : t;
    switch (kw.type === 'word' ? kw.text.toUpperCase() : '') {
      case 'GLOB': {
        const pattern = this.expect('string', 'a quoted pattern after GLOB');
        checkGlob(pattern);
        return { kind: 'glob', path, negated, pattern: pattern.text };
      }
      case 'IN':
        return { kind: 'in', path, negated, values: this.literalList() };
      case 'CONTAINS':
        return { kind: 'contains', path, negated, value: this.literal() };
      default:
        throw new FilterSyntaxError(kw.pos, `expected an operator after '${head.text}', found ${describe(kw)}`);
    }
  }

  private comparison(path: PathSegment[], op: Token): FilterNode {
    const at = this.peek();
    const value = this.literal();
    // Ordering works on numbers only (§2.7): say so now rather than silently matching nothing.
    if (op.text !== '=' && op.text !== '!=' && typeof value !== 'number') {
      throw new FilterSyntaxError(at.pos, `operator ${op.text} needs a number, found ${describe(at)}`);
    }
    return { kind: 'compare', path, op: op.text as CompareOp, value };
  }

  private literalList(): Literal[] {
    this.expect('lparen', "'(' after IN");
    const values = [this.literal()];
    while (this.peek().type === 'comma') {
      this.next();
      values.push(this.literal());
    }
    this.expect('rparen', "')' to close the IN list");
    return values;
  }

  private literal(): Literal {
    const t = this.next();
    if (t.type === 'string') return t.text;
    if (t.type === 'number' && Number.isFinite(t.num)) return t.num!;
    if (this.isKeyword(t, 'TRUE')) return true;
    if (this.isKeyword(t, 'FALSE')) return false;
    throw new FilterSyntaxError(t.pos, `expected a string, number or boolean, found ${describe(t)}`);
  }
}

/** Rejects patterns the RegExp engine refuses (e.g. the reversed range `[z-a]`) as syntax errors. */
function checkGlob(pattern: Token): void {
  try {
    globToRegExp(pattern.text);
  } catch {
    throw new FilterSyntaxError(pattern.pos, `invalid GLOB pattern '${pattern.text}'`);
  }
}

function describe(t: Token): string {
  if (t.type === 'end') return 'the end of the filter';
  if (t.type === 'string') return `the string '${t.text}'`;
  return `'${t.text}'`;
}
