import type { DocumentSymbol } from "./symbol.js";

/** A parsed name path: `Class/method`, or `/Class/method` anchored at the top level. */
export interface NamePath {
  segments: string[];
  absolute: boolean;
  ignoreCase?: boolean;
}

/** Splits a name path on "/" (C++'s "::" is accepted too), dropping empty segments. */
export function parseNamePath(text: string): NamePath {
  const trimmed = text.trim();
  const segments = trimmed
    .replaceAll("::", "/")
    .split("/")
    .filter((s) => s !== "");
  return { segments, absolute: trimmed.startsWith("/") };
}

/**
 * Whether a symbol's path (container segments, then its name) ends with the wanted segments or,
 * for an absolute name path, equals them.
 */
export function matchesNamePath(
  symbol: Pick<DocumentSymbol, "name" | "container">,
  wanted: NamePath,
): boolean {
  const path = symbol.container === "" ? [symbol.name] : [...symbol.container.split("/"), symbol.name];
  const { segments } = wanted;
  if (segments.length === 0 || segments.length > path.length) return false;
  if (wanted.absolute && segments.length !== path.length) return false;
  const offset = path.length - segments.length;
  for (let i = 0; i < segments.length; i++) {
    const have = path[offset + i] as string;
    const want = segments[i] as string;
    if (wanted.ignoreCase ? have.toLowerCase() !== want.toLowerCase() : have !== want) return false;
  }
  return true;
}
