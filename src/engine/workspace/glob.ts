import { EngineError } from "../errors.js";

/*
 * Globs as ripgrep's `-g` reads them (Rust's globset): `*` and `?` match within one path segment,
 * `**` as a whole segment matches any number of them (`**` elsewhere is `*`), `[...]` is a class
 * (`[!...]` or `[^...]` negated, never matching `/`), `{a,b}` alternatives, `\` escapes the next
 * character. Wildcards match a leading dot. Nothing else is special: parentheses, `+`, `@`, `|`
 * are literal, as in Next.js's `app/(marketing)/page.tsx`.
 *
 * Matching simulates the glob as an automaton over a set of positions, so it takes time linear in
 * the path for a given glob: a regular expression for `*a*a*a*b` backtracks for minutes on a long
 * name, and a walk tests every name on the thread that serves every request.
 */

/** Alternatives one glob may expand to through its braces. */
const MAX_ALTERNATIVES = 1_024;

enum Kind {
  /** One given character. */
  Char,
  /** Any one character but `/`. */
  One,
  /** One character of a class (never `/`). */
  Class,
  /** Any run of characters but `/`. */
  Star,
  /** Any run of characters. */
  Any,
  /** Nothing, or any run of characters ending in `/` (`**` followed by `/`). */
  Folders,
}

interface Token {
  kind: Kind;
  /** The character, for Char. */
  char?: number;
  /** Inclusive code point ranges, for Class. */
  ranges?: number[];
  negated?: boolean;
}

/** A glob compiled to a test of a path (POSIX form, relative); throws INVALID_ARGUMENT if malformed. */
export function compileGlob(glob: string): (path: string) => boolean {
  const programs = expandBraces(glob, glob).map((alternative) => tokens(alternative, glob));
  // With one wildcard run at most, a regular expression cannot backtrack more than once over the
  // path, and is quicker than the automaton (`*.ts` is tested on every file a walk finds); the
  // automaton, one for all the other alternatives, takes the rest.
  const simple = programs.filter((program) => wildcards(program) <= 1);
  const regex = simple.length > 0 ? new RegExp(simple.map(regexSource).join("|"), "u") : undefined;
  const rest = programs.filter((program) => wildcards(program) > 1);
  if (rest.length === 0) return (path) => (regex as RegExp).test(path);
  // Alternatives grouped by the literal they end with (`*.ts`, `*.tsx` from `*.{ts,tsx}`): a path
  // runs only the automata of the endings it has.
  const byEnding = new Map<string, Token[][]>();
  for (const program of rest) {
    const end = ending(program);
    byEnding.set(end, [...(byEnding.get(end) ?? []), program]);
  }
  const automata = [...byEnding].map(([end, group]) => ({ end, automaton: new Automaton(group) }));
  return (path) =>
    regex?.test(path) === true ||
    automata.some(({ end, automaton }) => path.endsWith(end) && automaton.test(path));
}

/** The literal characters a program ends with (after its last wildcard, class or `?`). */
function ending(program: Token[]): string {
  let end = "";
  for (let i = program.length - 1; i >= 0 && (program[i] as Token).kind === Kind.Char; i--)
    end = String.fromCodePoint((program[i] as Token).char as number) + end;
  return end;
}

function wildcards(program: Token[]): number {
  let count = 0;
  for (const token of program) if (token.kind >= Kind.Star) count++;
  return count;
}

/** The program as an anchored regular expression (for one with at most one wildcard run). */
function regexSource(program: Token[]): string {
  let source = "";
  for (const token of program) {
    switch (token.kind) {
      case Kind.Char:
        source += escapeChar(token.char as number);
        break;
      case Kind.One:
        source += "[^/]";
        break;
      case Kind.Class: {
        const ranges = token.ranges as number[];
        let set = "";
        for (let k = 0; k < ranges.length; k += 2) {
          const low = ranges[k] as number;
          const high = ranges[k + 1] as number;
          set += low === high ? escapeChar(low) : `${escapeChar(low)}-${escapeChar(high)}`;
        }
        // A class never matches `/`: a negated one leaves it out too, a plain one cannot hold it.
        source += token.negated ? `[^/${set}]` : `(?!/)[${set}]`;
        break;
      }
      case Kind.Star:
        source += "[^/]*";
        break;
      case Kind.Any:
        source += "[\\s\\S]*";
        break;
      case Kind.Folders:
        source += "(?:[\\s\\S]*/)?";
        break;
    }
  }
  return `^(?:${source})$`;
}

function escapeChar(code: number): string {
  return `\\u{${code.toString(16)}}`;
}

function invalid(glob: string, why: string): EngineError {
  return new EngineError("INVALID_ARGUMENT", `Invalid glob ${JSON.stringify(glob)}: ${why}`);
}

/** `text` with each `{a,b}` group (nested too) replaced by each of its alternatives in turn. */
function expandBraces(text: string, glob: string): string[] {
  let open = -1;
  let depth = 0;
  const commas: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "[") i = classEnd(text, i, glob);
    else if (c === "{") {
      if (depth++ === 0) open = i;
    } else if (c === "," && depth === 1) commas.push(i);
    else if (c === "}" && depth > 0 && --depth === 0) {
      const head = text.slice(0, open);
      const tail = text.slice(i + 1);
      const bounds = [open, ...commas, i];
      const out: string[] = [];
      for (let k = 0; k + 1 < bounds.length; k++) {
        const middle = text.slice((bounds[k] as number) + 1, bounds[k + 1]);
        for (const rest of expandBraces(middle + tail, glob)) {
          for (const whole of expandBraces(head, glob)) out.push(whole + rest);
          if (out.length > MAX_ALTERNATIVES)
            throw invalid(glob, `more than ${MAX_ALTERNATIVES} alternatives`);
        }
      }
      return out;
    }
  }
  if (depth > 0) throw invalid(glob, "unclosed {");
  return [text];
}

/** The index of the `]` closing the class that opens at `start`. */
function classEnd(text: string, start: number, glob: string): number {
  let i = start + 1;
  if (text[i] === "!" || text[i] === "^") i++;
  if (text[i] === "]") i++; // a `]` first is a member
  for (; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "]") return i;
  }
  throw invalid(glob, "unclosed [");
}

function tokens(text: string, glob: string): Token[] {
  const chars = codePoints(text.startsWith("./") ? text.slice(2) : text);
  const out: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as number;
    if (c === 0x5c /* \ */) {
      if (i + 1 >= chars.length) throw invalid(glob, "a trailing \\ escapes nothing");
      out.push({ kind: Kind.Char, char: chars[++i] as number });
    } else if (c === 0x3f /* ? */) out.push({ kind: Kind.One });
    else if (c === 0x2a /* * */) {
      let end = i;
      while (chars[end + 1] === 0x2a) end++;
      const whole =
        end > i &&
        (i === 0 || chars[i - 1] === 0x2f) &&
        (end + 1 === chars.length || chars[end + 1] === 0x2f);
      if (!whole) out.push({ kind: Kind.Star });
      else if (end + 1 === chars.length) out.push({ kind: Kind.Any });
      else {
        out.push({ kind: Kind.Folders });
        end++; // the `/` after `**` is part of it
      }
      i = end;
    } else if (c === 0x5b /* [ */) i = charClass(chars, i, out, glob);
    else out.push({ kind: Kind.Char, char: c });
  }
  return out;
}

/** Reads the class opening at `start` into `out`; returns the index of its `]`. */
function charClass(chars: number[], start: number, out: Token[], glob: string): number {
  let i = start + 1;
  const negated = chars[i] === 0x21 /* ! */ || chars[i] === 0x5e; /* ^ */
  if (negated) i++;
  const ranges: number[] = [];
  let first = true;
  for (; i < chars.length; i++) {
    let c = chars[i] as number;
    if (c === 0x5d /* ] */ && !first) {
      out.push({ kind: Kind.Class, ranges, negated });
      return i;
    }
    first = false;
    if (c === 0x5c && i + 1 < chars.length) c = chars[++i] as number;
    let high = c;
    if (chars[i + 1] === 0x2d /* - */ && i + 2 < chars.length && chars[i + 2] !== 0x5d) {
      high =
        chars[i + 2] === 0x5c && i + 3 < chars.length ? (chars[i + 3] as number) : (chars[i + 2] as number);
      i += chars[i + 2] === 0x5c ? 3 : 2;
      if (high < c)
        throw invalid(
          glob,
          `the range ${String.fromCodePoint(c)}-${String.fromCodePoint(high)} is backwards`,
        );
    }
    ranges.push(c, high);
  }
  throw invalid(glob, "unclosed [");
}

function inClass(token: Token, c: number): boolean {
  const ranges = token.ranges as number[];
  let found = false;
  for (let k = 0; k < ranges.length && !found; k += 2)
    found = c >= (ranges[k] as number) && c <= (ranges[k + 1] as number);
  return found !== token.negated;
}

/** Marks the end of an alternative in an Automaton's flat program. */
const ACCEPT = 6;

/**
 * All alternatives of a glob as one automaton: a flat program (each alternative's tokens, then
 * ACCEPT) whose states are positions in it, twice over (`2i` at token i, `2i + 1` inside a Folders
 * token i, having read some of its run). A path is read once, keeping the set of live states as
 * a list stamped by generation, so each step costs only the live states.
 */
class Automaton {
  private readonly kinds: Uint8Array;
  private readonly chars: Int32Array;
  private readonly classes: (Token | undefined)[];
  private readonly starts: number[] = [];
  private readonly stamps: Uint32Array;
  private generation = 0;
  private current: Int32Array;
  private next: Int32Array;
  private currentLength = 0;
  private nextLength = 0;

  constructor(programs: Token[][]) {
    const flat: (Token | typeof ACCEPT)[] = [];
    for (const program of programs) {
      this.starts.push(flat.length);
      flat.push(...program, ACCEPT);
    }
    this.kinds = new Uint8Array(flat.map((token) => (token === ACCEPT ? ACCEPT : token.kind)));
    this.chars = new Int32Array(flat.map((token) => (token === ACCEPT ? -1 : (token.char ?? -1))));
    this.classes = flat.map((token) => (token !== ACCEPT && token.kind === Kind.Class ? token : undefined));
    this.stamps = new Uint32Array(flat.length * 2);
    this.current = new Int32Array(flat.length * 2);
    this.next = new Int32Array(flat.length * 2);
  }

  test(path: string): boolean {
    this.advanceGeneration();
    this.nextLength = 0;
    for (const start of this.starts) this.add(start * 2);
    this.swap();
    for (let at = 0; at < path.length; ) {
      const c = path.codePointAt(at) as number;
      at += c > 0xffff ? 2 : 1;
      this.advanceGeneration();
      this.nextLength = 0;
      for (let k = 0; k < this.currentLength; k++) this.step(this.current[k] as number, c);
      if (this.nextLength === 0) return false;
      this.swap();
    }
    for (let k = 0; k < this.currentLength; k++) {
      const state = this.current[k] as number;
      if ((state & 1) === 0 && this.kinds[state >> 1] === ACCEPT) return true;
    }
    return false;
  }

  /** The states `state` leads to on reading `c`, into the next set. */
  private step(state: number, c: number): void {
    const i = state >> 1;
    if ((state & 1) === 1) {
      this.add(state);
      if (c === 0x2f) this.add((i + 1) * 2);
      return;
    }
    switch (this.kinds[i]) {
      case Kind.Char:
        if (c === this.chars[i]) this.add((i + 1) * 2);
        break;
      case Kind.One:
        if (c !== 0x2f) this.add((i + 1) * 2);
        break;
      case Kind.Class:
        if (c !== 0x2f && inClass(this.classes[i] as Token, c)) this.add((i + 1) * 2);
        break;
      case Kind.Star:
        if (c !== 0x2f) this.add(state);
        break;
      case Kind.Any:
        this.add(state);
        break;
      case Kind.Folders:
        this.add(state + 1);
        if (c === 0x2f) this.add((i + 1) * 2);
        break;
    }
  }

  /** Adds `state` to the next set, with the states it reaches reading nothing (past a wildcard). */
  private add(state: number): void {
    for (;;) {
      if (this.stamps[state] === this.generation) return;
      this.stamps[state] = this.generation;
      this.next[this.nextLength++] = state;
      const kind = this.kinds[state >> 1];
      if ((state & 1) === 1 || (kind !== Kind.Star && kind !== Kind.Any && kind !== Kind.Folders)) return;
      state = ((state >> 1) + 1) * 2;
    }
  }

  private swap(): void {
    [this.current, this.next] = [this.next, this.current];
    this.currentLength = this.nextLength;
  }

  private advanceGeneration(): void {
    if (this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 0;
    }
    this.generation++;
  }
}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const char of text) out.push(char.codePointAt(0) as number);
  return out;
}
