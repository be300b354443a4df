/**
 * Characters that break a listing of one entry per line, or hide what follows them on a terminal:
 * C0 and C1 controls, DEL, and Unicode's line and paragraph separators. Linux allows all of them
 * in file names, so a file named `a\nb.ts` could otherwise pass for two entries (or forge one).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const ESCAPED = /[\u0000-\u001f\u007f-\u009f\u2028\u2029"\\]/g;
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
