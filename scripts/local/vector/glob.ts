/**
 * GLOB patterns of the filter language, compiled to an anchored, case-sensitive RegExp:
 * `*` any run (also empty), `?` one character, `[abc]` / `[a-z]` one of, `[^abc]` / `[!abc]` none of.
 * Everything else matches itself. A `[` with no closing `]` is a literal bracket.
 */
export function globToRegExp(pattern: string): RegExp {
  const chars = [...pattern];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const cls = readClass(chars, i);
      if (cls) {
        out += cls.source;
        i = cls.end;
      } else out += '\\[';
    } else out += escapeChar(c);
  }
  return new RegExp(`^${out}$`, 'su');
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** A character class starting at `chars[start] === '['`, or undefined when it is never closed. */
function readClass(chars: string[], start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  let negated = false;
  if (chars[i] === '^' || chars[i] === '!') {
    negated = true;
    i++;
  }
  let body = '';
  // A `]` right after the opening bracket is a member, as in shell globs.
  if (chars[i] === ']') {
    body += '\\]';
    i++;
  }
  for (; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === ']') return { source: `[${negated ? '^' : ''}${body}]`, end: i };
    body += c === '\\' || c === '[' || c === '^' ? `\\${c}` : c;
  }
  return undefined;
}
