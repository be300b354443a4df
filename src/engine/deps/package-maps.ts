import { isObject } from "./tsconfig-paths.js";

/**
 * The targets a package.json `exports` or `imports` map gives `subpath` (`.`, `./feature`,
 * `#internal`), in preference order, following Node's rules for exact keys, `*` patterns (the
 * longest prefix wins, then the longest key), condition objects (key order, `default` always matching) and fallback
 * arrays. All candidates are returned rather than the first, so a caller can take the first that
 * exists: a workspace package's `exports` often point at build output that is not there yet.
 */
export function mapSubpath(map: unknown, subpath: string, conditions: ReadonlySet<string>): string[] {
  let entries: Record<string, unknown>;
  if (typeof map === "string" || Array.isArray(map)) entries = { ".": map };
  else if (!isObject(map)) return [];
  else if (Object.keys(map).some((key) => key.startsWith(".") || key.startsWith("#"))) entries = map;
  else entries = { ".": map };

  if (Object.hasOwn(entries, subpath) && !subpath.includes("*")) {
    return targets(entries[subpath], null, conditions);
  }
  let bestKey: string | null = null;
  let captured = "";
  for (const key of Object.keys(entries)) {
    const star = key.indexOf("*");
    if (star === -1 || star !== key.lastIndexOf("*")) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (
      subpath.length >= key.length &&
      subpath.startsWith(prefix) &&
      subpath.endsWith(suffix) &&
      // Node's order: the longer prefix, then the longer key (`./a/*.js` before `./a/*`).
      (bestKey === null ||
        prefix.length > bestKey.indexOf("*") ||
        (prefix.length === bestKey.indexOf("*") && key.length > bestKey.length))
    ) {
      bestKey = key;
      captured = subpath.slice(prefix.length, subpath.length - suffix.length);
    }
  }
  return bestKey === null ? [] : targets(entries[bestKey], captured, conditions);
}

function targets(value: unknown, captured: string | null, conditions: ReadonlySet<string>): string[] {
  if (typeof value === "string") return [captured === null ? value : value.replaceAll("*", captured)];
  if (Array.isArray(value)) return value.flatMap((v) => targets(v, captured, conditions));
  if (!isObject(value)) return [];
  const found: string[] = [];
  for (const [condition, target] of Object.entries(value)) {
    if (condition === "default" || conditions.has(condition))
      found.push(...targets(target, captured, conditions));
  }
  return found;
}
