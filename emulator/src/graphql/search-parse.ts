/** Shopify search syntax (subset): field:value, comparators, AND/OR/NOT, -term, parentheses, quotes. */
export type Comparator = ':' | '>' | '>=' | '<' | '<=';

export type SearchNode =
  | { type: 'and'; items: SearchNode[] }
  | { type: 'or'; items: SearchNode[] }
  | { type: 'not'; item: SearchNode }
  | { type: 'term'; field: string | null; op: Comparator; value: string };

type Token = { kind: 'word'; text: string; quoted: boolean } | { kind: '(' } | { kind: ')' };

function readQuoted(input: string, start: number): [string, number] {
  const quote = input[start];
  let i = start + 1;
  let out = '';
  while (i < input.length && input[i] !== quote) {
    if (input[i] === '\\' && i + 1 < input.length) i++;
    out += input[i];
    i++;
  }
  return [out, i + 1];
}

/** Splits a query into words (keeping `field:'quoted value'` together) and parentheses. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch });
      i++;
    } else {
      let text = '';
      let quoted = false;
      while (i < input.length && !/[\s()]/.test(input[i] as string)) {
        if (input[i] === '"' || input[i] === "'") {
          const [value, next] = readQuoted(input, i);
          text += value;
          quoted = true;
          i = next;
        } else {
          text += input[i];
          i++;
        }
      }
      tokens.push({ kind: 'word', text, quoted });
    }
  }
  return tokens;
}

function toTerm(text: string, quoted: boolean): SearchNode {
  const match = quoted && !/^[\w.]+:/.test(text) ? null : /^([A-Za-z_][\w.]*):(>=|<=|>|<)?(.*)$/s.exec(text);
  if (!match || match[1] === undefined) return { type: 'term', field: null, op: ':', value: text };
  return {
    type: 'term',
    field: match[1].toLowerCase(),
    op: (match[2] ?? ':') as Comparator,
    value: match[3] ?? '',
  };
}

/** Parses a search string into a tree; an empty string gives an empty AND (matches all). */
export function parseSearch(input: string): SearchNode {
  const tokens = tokenize(input);
  let pos = 0;
  const peekWord = (w: string) => {
    const t = tokens[pos];
    return t?.kind === 'word' && !t.quoted && t.text === w;
  };
  function parseOr(): SearchNode {
    const items = [parseAnd()];
    while (peekWord('OR')) {
      pos++;
      items.push(parseAnd());
    }
    return items.length === 1 ? (items[0] as SearchNode) : { type: 'or', items };
  }
  function parseAnd(): SearchNode {
    const items: SearchNode[] = [];
    while (pos < tokens.length && tokens[pos]?.kind !== ')' && !peekWord('OR')) {
      if (peekWord('AND')) {
        pos++;
        continue;
      }
      items.push(parseUnary());
    }
    return items.length === 1 ? (items[0] as SearchNode) : { type: 'and', items };
  }
  function parseUnary(): SearchNode {
    const token = tokens[pos++];
    if (!token) return { type: 'and', items: [] };
    if (token.kind === '(') {
      const inner = parseOr();
      if (tokens[pos]?.kind === ')') pos++;
      return inner;
    }
    if (token.kind === ')') return { type: 'and', items: [] };
    if (!token.quoted && token.text === 'NOT') return { type: 'not', item: parseUnary() };
    if (!token.quoted && token.text.startsWith('-') && token.text.length > 1) {
      return { type: 'not', item: toTerm(token.text.slice(1), token.quoted) };
    }
    return toTerm(token.text, token.quoted);
  }
  const tree = parseOr();
  return tree;
}
