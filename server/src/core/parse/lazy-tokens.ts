// A parse whose tokens are scanned only when asked for, and then only around the statements that need them.
import type { ParsedSql, Statement, SyntaxProblem } from './parse';
import { COMMENT_TOKENS, scanTokens, splitChunks, type Chunk, type Token } from './tokens';

/** Beyond this many statement regions one scan of the whole file is cheaper than many small ones. */
const MAX_REGIONS = 8;

/**
 * The result of a clean parse. libpg-query returns tokens as JSON, and scanning a file cost more than parsing it,
 * while most rules never look at tokens: so `tokens`, `comments` and `chunks` scan the file on first use, and
 * `covering` scans just the statements a range lies in.
 *
 * A statement region runs from a statement's first token to the next statement's first token (the first region
 * from the file start). Both ends are token boundaries outside any string or comment, so scanning a region's text
 * gives exactly the whole-file tokens inside it.
 */
export class LazyParsedSql implements ParsedSql {
  private scanned?: { tokens: Token[]; comments: Token[]; chunks: Chunk[] };
  private readonly regions = new Map<number, Token[]>();

  constructor(
    readonly text: string,
    readonly statements: Statement[],
    readonly errors: SyntaxProblem[],
    /** What an incremental re-parse already knows (chunks always; comments when the previous parse had them). */
    private readonly known: { chunks?: Chunk[]; comments?: Token[] } = {},
  ) {}

  /** The comments, when known without scanning (for an incremental re-parse to carry them over). */
  peekComments(): Token[] | undefined {
    return this.scanned?.comments ?? this.known.comments;
  }

  private scan(): { tokens: Token[]; comments: Token[]; chunks: Chunk[] } {
    if (!this.scanned) {
      // As in parseRange, a scanner failure gives no tokens (the parse succeeded, so it should not happen).
      const tokens = scanTokens(this.text) ?? [];
      const comments = tokens.filter((t) => COMMENT_TOKENS.has(t.name));
      this.scanned = { tokens, comments, chunks: splitChunks(tokens, 0, this.text.length, this.text).chunks };
      this.regions.clear();
    }
    return this.scanned;
  }

  get tokens(): Token[] {
    return this.scan().tokens;
  }

  get comments(): Token[] {
    return this.known.comments ?? this.scan().comments;
  }

  get chunks(): Chunk[] {
    return this.known.chunks ?? this.scan().chunks;
  }

  /** Index of the region holding `offset`: the last statement starting at or before it (-1: before the first). */
  private regionAt(offset: number): number {
    let lo = 0;
    let hi = this.statements.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.statements[mid].start <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  private region(i: number): Token[] {
    let tokens = this.regions.get(i);
    if (!tokens) {
      const start = i < 0 ? 0 : this.statements[i].start;
      const end = this.statements[i + 1]?.start ?? this.text.length;
      // A failed scan gives no tokens, as a failed whole-file scan would.
      tokens = scanTokens(this.text.slice(start, end), undefined, start) ?? [];
      this.regions.set(i, tokens);
    }
    return tokens;
  }

  /** Sorted tokens that include every token of the file from the region of `start` to the region of `end`. */
  covering(start: number, end: number): Token[] {
    if (this.scanned) return this.scanned.tokens;
    const first = this.regionAt(start);
    const last = Math.max(first, this.regionAt(Math.max(start, end - 1)));
    if (last - first >= MAX_REGIONS) return this.tokens;
    if (first === last) return this.region(first);
    let out: Token[] = [];
    for (let i = first; i <= last; i++) out = out.concat(this.region(i));
    return out;
  }
}

/**
 * Tokens for looking at the text from `start` to `end` (default: the token at `start`): the file's tokens, or
 * when the file has not been scanned, only those of the statements the range touches, each with the text up to
 * the next statement (its semicolon and trailing comments). Use it instead of `parsed.tokens` when you look near
 * one statement: search it with `tokenIndexAt` and stay within that statement and the text up to the next one.
 */
export function tokensCovering(parsed: ParsedSql, start: number, end = start + 1): Token[] {
  return parsed instanceof LazyParsedSql ? parsed.covering(start, end) : parsed.tokens;
}
