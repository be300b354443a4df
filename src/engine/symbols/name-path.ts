import type { DocumentSymbol } from "./symbol.js";

/** A parsed name path: `Class/method`, or `/Class/method` anchored at the top level. */
export interface NamePath {
  segments: string[];
  absolute: boolean;
  ignoreCase?: boolean;
}

/**
 * Splits a name path on "/" (C++'s "::" is accepted too), dropping empty segments; a dotted
 * segment (`NS.Inner`) is split as a symbol's dotted name is, so either way of writing it matches.
 */
export function parseNamePath(text: string): NamePath {
  const trimmed = text.trim();
  const segments = trimmed
    .replaceAll("::", "/")
    .split("/")
    .filter((s) => s !== "")
    .flatMap(nameParts);
  return { segments, absolute: trimmed.startsWith("/") };
}

/** A chain of identifiers joined by dots: TypeScript's `namespace A.B`, Java's `package a.b`. */
const DOTTED = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;

/**
 * The parts of a name as a name path reads them: C++'s `a::b` (a namespace, `Outer::Inner` a
 * struct defined under its scopes) and a dotted chain (`NS.Inner`) are two segments each.
 */
export function nameParts(name: string): string[] {
  if (name.includes("::")) return name.split("::").filter((s) => s !== "");
  return DOTTED.test(name) ? name.split(".") : [name];
}

/**
 * Whether a symbol's path (container segments, then its name, each split into its parts) ends
 * with the wanted segments or, for an absolute name path, equals them.
 */
export function matchesNamePath(
  symbol: Pick<DocumentSymbol, "name" | "container">,
  wanted: NamePath,
): boolean {
  const path =
    symbol.container === ""
      ? nameParts(symbol.name)
      : [...symbol.container.split("/").flatMap(nameParts), ...nameParts(symbol.name)];
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
