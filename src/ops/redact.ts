/**
 * Secret removal for everything Rune writes about itself (logs, MCP log notifications, debug
 * dumps): values under secret-sounding keys, bearer credentials, known token formats, and the
 * exact secrets this process holds (its HTTP token, the IDE lock file's token).
 */

const SECRET_KEY =
  /^(authorization|auth[-_]?token|token|bearer|password|passwd|secret|api[-_]?key|cookie|set-cookie|x-claude-code-ide-authorization)$/i;

/** Token formats worth catching in free text: cheap, anchored on fixed prefixes. */
const TOKEN_PATTERNS: RegExp[] = [
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\bxox[baprs]-[A-Za-z0-9-]{10,}/g,
  /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g,
  /\bsk-(?:ant-)?[A-Za-z0-9_-]{20,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /([?&](?:token|access_token|auth)=)[^&\s"']+/gi,
];

export const REDACTED = "[REDACTED]";

/** Redacts secrets; `known` are this process's own secrets, removed wherever they appear. */
export class Redactor {
  private readonly known = new Set<string>();

  /** Adds a secret to remove verbatim (ignored when shorter than 8 characters: too likely to collide). */
  add(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= 8) this.known.add(secret);
  }

  text(input: string): string {
    let out = input;
    for (const secret of this.known) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    for (const pattern of TOKEN_PATTERNS) {
      pattern.lastIndex = 0;
      if (pattern.test(out)) {
        out = out.replace(pattern, (match, prefix: unknown) =>
          typeof prefix === "string" && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED,
        );
      }
    }
    return out;
  }

  /** A copy of `value` with secret keys' values and secrets in strings replaced; depth-bounded. */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.text(value);
    if (value === null || typeof value !== "object") return value;
    if (depth > 8) return "[…]";
    if (value instanceof Error) return { name: value.name, message: this.text(value.message) };
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] =
        SECRET_KEY.test(key) && v !== undefined && v !== null && v !== false
          ? REDACTED
          : this.value(v, depth + 1);
    }
    return out;
  }
}
