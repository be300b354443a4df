/** SARIF's levels: an exposed secret is an error, a dangerous sink a warning, weak crypto a note. */
export type Severity = "error" | "warning" | "note";

/**
 * One rule: literals that every match contains (the prefilter: a file without any is never run
 * through the expression), the expression itself, and for generic secrets a minimum entropy of the
 * captured value so placeholders like "changeme" are not reported.
 */
export interface SecurityRule {
  id: string;
  name: string;
  category: "secret" | "sink" | "crypto";
  severity: Severity;
  /** Lower-case literals; a file must contain one (case-insensitively) to be checked. */
  literals: string[];
  /**
   * JavaScript regular expression source (flags: g, plus i when `ignoreCase`). A group named `hit`,
   * when it takes part in a match, is what the finding points at (context around it is not).
   */
  pattern: string;
  ignoreCase?: boolean;
  /** The capture group holding the secret value, checked for entropy. */
  valueGroup?: number;
  minEntropy?: number;
  /** File extensions the rule applies to (all files when absent). */
  extensions?: string[];
  /** A match on a line that also contains this text is not a finding (a safe variant of the call). */
  unless?: RegExp;
  message: string;
  help: string;
}

const CODE = [".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"];
const PYTHON = [".py"];

/**
 * The built-in rules. Token formats are the issuers' documented prefixes and lengths; the sink
 * rules look for a string being built into code, a shell command or SQL, which is what makes
 * those calls dangerous. Patterns avoid look-around so ripgrep can run the same ones (the
 * benchmark compares against it).
 */
export const SECURITY_RULES: readonly SecurityRule[] = [
  {
    id: "secret/aws-access-key-id",
    name: "AWS access key ID",
    category: "secret",
    severity: "error",
    literals: ["akia", "asia"],
    pattern: "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b",
    message: "An AWS access key ID is committed to the source",
    help: "Revoke the key in IAM and load credentials from the environment or a secrets manager.",
  },
  {
    id: "secret/aws-secret-access-key",
    name: "AWS secret access key",
    category: "secret",
    severity: "error",
    literals: ["aws_secret_access_key", "aws_secret"],
    pattern: "aws_secret(?:_access)?_key\\s*[=:]\\s*[\"']?([A-Za-z0-9/+=]{40})",
    ignoreCase: true,
    valueGroup: 1,
    minEntropy: 3.5,
    message: "An AWS secret access key is committed to the source",
    help: "Revoke the key in IAM and load credentials from the environment or a secrets manager.",
  },
  {
    id: "secret/github-token",
    name: "GitHub token",
    category: "secret",
    severity: "error",
    literals: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
    pattern: "\\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\\b",
    message: "A GitHub token is committed to the source",
    help: "Revoke the token on GitHub and read it from the environment.",
  },
  {
    id: "secret/gitlab-token",
    name: "GitLab personal access token",
    category: "secret",
    severity: "error",
    literals: ["glpat-"],
    pattern: "\\bglpat-[A-Za-z0-9_-]{20}\\b",
    message: "A GitLab access token is committed to the source",
    help: "Revoke the token in GitLab and read it from the environment.",
  },
  {
    id: "secret/slack-token",
    name: "Slack token or webhook",
    category: "secret",
    severity: "error",
    literals: ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-", "hooks.slack.com/services/"],
    pattern:
      "\\bxox[abprs]-[A-Za-z0-9-]{10,}|https://hooks\\.slack\\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+",
    message: "A Slack token or webhook URL is committed to the source",
    help: "Rotate it in Slack and read it from the environment.",
  },
  {
    id: "secret/stripe-key",
    name: "Stripe live secret key",
    category: "secret",
    severity: "error",
    literals: ["sk_live_", "rk_live_"],
    pattern: "\\b[rs]k_live_[0-9a-zA-Z]{24,}\\b",
    message: "A Stripe live secret key is committed to the source",
    help: "Roll the key in the Stripe dashboard and read it from the environment.",
  },
  {
    id: "secret/google-api-key",
    name: "Google API key",
    category: "secret",
    severity: "error",
    literals: ["aiza"],
    pattern: "\\bAIza[0-9A-Za-z_-]{35}\\b",
    message: "A Google API key is committed to the source",
    help: "Restrict or regenerate the key in the Google Cloud console.",
  },
  {
    id: "secret/openai-anthropic-key",
    name: "OpenAI or Anthropic API key",
    category: "secret",
    severity: "error",
    literals: ["sk-proj-", "sk-ant-", "t3blbkfj"],
    pattern:
      "\\bsk-(?:proj-[A-Za-z0-9_-]{40,}|ant-[A-Za-z0-9_-]{40,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})",
    message: "An AI provider API key is committed to the source",
    help: "Revoke the key with the provider and read it from the environment.",
  },
  {
    id: "secret/npm-token",
    name: "npm access token",
    category: "secret",
    severity: "error",
    literals: ["npm_"],
    pattern: "\\bnpm_[A-Za-z0-9]{36}\\b",
    message: "An npm access token is committed to the source",
    help: "Revoke the token with `npm token revoke` and use an environment variable.",
  },
  {
    id: "secret/private-key",
    name: "Private key",
    category: "secret",
    severity: "error",
    literals: ["private key-----"],
    pattern: "-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY-----",
    message: "A private key is committed to the source",
    help: "Remove the key from the repository (and its history), and issue a new one.",
  },
  {
    id: "secret/jwt",
    name: "JSON Web Token",
    category: "secret",
    severity: "warning",
    literals: ["eyj"],
    pattern: "\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}",
    message: "A JSON Web Token is committed to the source",
    help: "If it grants access, revoke it; tests can mint tokens at run time instead.",
  },
  {
    id: "secret/generic-assignment",
    name: "Hard-coded secret",
    category: "secret",
    severity: "error",
    literals: ["password", "passwd", "secret", "api_key", "apikey", "api-key", "token"],
    pattern:
      "(?:password|passwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token)[\"']?\\s*[:=]\\s*[\"']([^\"'\\s]{12,})[\"']",
    ignoreCase: true,
    valueGroup: 1,
    minEntropy: 3.5,
    message: "A secret-looking value is assigned in the source",
    help: "Read secrets from the environment or a secrets manager; suppress with `rune-ignore` if it is test data.",
  },
  {
    id: "sink/eval",
    name: "Dynamic code evaluation",
    category: "sink",
    severity: "warning",
    literals: ["eval", "function("],
    pattern: "(?:^|[^\\w.$])(?<hit>eval)\\s*\\(|\\bnew\\s+Function\\s*\\(",
    extensions: [...CODE, ...PYTHON],
    message: "Code is evaluated from a string (eval / new Function)",
    help: "Avoid evaluating strings as code; parse data with JSON.parse or a real parser.",
  },
  {
    id: "sink/shell-command-from-string",
    name: "Shell command built from a string",
    category: "sink",
    severity: "warning",
    literals: ["exec", "system", "popen", "shell"],
    pattern:
      "\\bexec(?:Sync)?\\s*\\(\\s*(?:`[^`]*\\$\\{|[\"'][^\"']*[\"']\\s*\\+)|\\bos\\.(?:system|popen)\\s*\\(|\\bsubprocess\\.\\w+\\([^)]*shell\\s*=\\s*True",
    extensions: [...CODE, ...PYTHON],
    message: "A shell command is built from a string that may carry input",
    help: "Use execFile/spawn with an argument array (or subprocess with a list and shell=False).",
  },
  {
    id: "sink/sql-from-string",
    name: "SQL built from a string",
    category: "sink",
    severity: "warning",
    literals: ["select", "insert", "update", "delete", "execute"],
    pattern:
      "\\b(?:query|execute|raw|prepare)\\s*\\(\\s*(?:`\\s*(?:SELECT|INSERT|UPDATE|DELETE)\\b[^`]*\\$\\{|f[\"']\\s*(?:SELECT|INSERT|UPDATE|DELETE)\\b|[\"']\\s*(?:SELECT|INSERT|UPDATE|DELETE)\\b[^\"']*[\"']\\s*(?:\\+|%))",
    ignoreCase: true,
    extensions: [...CODE, ...PYTHON],
    message: "An SQL statement is built from a string with interpolated values",
    help: "Use parameterised queries (placeholders and a values array).",
  },
  {
    id: "sink/unsafe-deserialization",
    name: "Unsafe deserialization",
    category: "sink",
    severity: "warning",
    literals: ["pickle", "yaml.load", "marshal.load", "unserialize", "objectinputstream"],
    pattern:
      "\\bpickle\\.loads?\\s*\\(|\\byaml\\.load\\s*\\(|\\bmarshal\\.loads?\\s*\\(|\\bunserialize\\s*\\(|\\bnew\\s+ObjectInputStream\\s*\\(",
    unless: /SafeLoader|CSafeLoader/,
    message: "Data is deserialized in a way that can run code",
    help: "Deserialize untrusted data with a safe format (JSON) or a safe loader (yaml.safe_load).",
  },
  {
    id: "crypto/weak-hash",
    name: "Weak hash (MD5/SHA-1)",
    category: "crypto",
    severity: "note",
    literals: ["md5", "sha1"],
    pattern: "\\bcreateHash\\s*\\(\\s*[\"'](?:md5|sha1)[\"']|\\bhashlib\\.(?:md5|sha1)\\s*\\(",
    ignoreCase: true,
    extensions: [...CODE, ...PYTHON],
    message: "MD5 or SHA-1 is used; for passwords this is broken",
    help: "Hash passwords with scrypt, argon2 or bcrypt; use SHA-256 or better for integrity.",
  },
];

/** Shannon entropy of a string in bits per character: random tokens score high, words low. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  const length = [...value].length;
  for (const n of counts.values()) {
    const p = n / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Values that are obviously not secrets: placeholders, references to the environment, templates. */
export function isPlaceholder(value: string): boolean {
  return /^(?:x+|\*+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%\(?\w+\)?s?|changeme|your[_-].*|example.*|test.*|dummy.*|process\.env.*|os\.environ.*)$/i.test(
    value,
  );
}
