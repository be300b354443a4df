/**
 * Characters that break a listing of one entry per line, hide what follows them on a terminal, or
 * make a name read as another: C0 and C1 controls, DEL, Unicode's line and paragraph separators,
 * the bidirectional controls (`a\u202Egnp.ts` shows as `ast.png`) and invisible ones (zero-width
 * spaces and joiners, the byte-order mark). Linux allows all of them in file names, so a file
 * named `a\nb.ts` could otherwise pass for two entries (or forge one).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const ESCAPED = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"\\]/g;
const SHORT: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\" };

/**
 * `name` as a text listing shows it: as it is, or, when it holds an unprintable character (or
 * starts with a double quote, so the two forms cannot be confused), in double quotes with C-style
 * escapes, as git shows such paths.
 */
export function printableName(name: string): string {
  if (!UNPRINTABLE.test(name) && !name.startsWith('"')) return name;
  const escaped = name.replace(
    ESCAPED,
    (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `"${escaped}"`;
}
