/**
 * Matching of RFC 6570 URI templates against concrete URIs, for the expressions resource
 * templates use: `{var}` (one segment, percent-decoded) and `{+var}` (reserved expansion, may span
 * "/"). Other operators are rejected at registration rather than matched wrongly.
 */
export class UriTemplate {
  readonly variables: string[] = [];
  private readonly pattern: RegExp;

  constructor(readonly template: string) {
    let source = "^";
    let last = 0;
    for (const match of template.matchAll(/\{([+]?)([A-Za-z0-9_.]+)\}/g)) {
      source += escapeRegExp(template.slice(last, match.index));
      source += match[1] === "+" ? "(.+?)" : "([^/?#]+)";
      this.variables.push(match[2] as string);
      last = (match.index ?? 0) + match[0].length;
    }
    const rest = template.slice(last);
    if (/[{}]/.test(rest) || /\{[^+A-Za-z0-9_.]/.test(template)) {
      throw new Error(
        `URI template ${template} uses an expression Rune does not support ({var} and {+var} only)`,
      );
    }
    this.pattern = new RegExp(`${source}${escapeRegExp(rest)}$`);
  }

  /** The variables of `uri` if it matches, else null. */
  match(uri: string): Record<string, string> | null {
    const m = this.pattern.exec(uri);
    if (!m) return null;
    const vars: Record<string, string> = {};
    this.variables.forEach((name, i) => {
      const raw = m[i + 1] as string;
      try {
        vars[name] = decodeURIComponent(raw);
      } catch {
        vars[name] = raw;
      }
    });
    return vars;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
