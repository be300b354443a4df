/** How a language writes a comment: a line prefix, or a pair around the text. */
export type CommentSyntax = { line: string } | { open: string; close: string };

const LINE: Record<string, string> = {};
for (const id of [
  "c",
  "cpp",
  "csharp",
  "cs",
  "dart",
  "go",
  "java",
  "javascript",
  "javascriptreact",
  "jsonc",
  "kotlin",
  "objc",
  "php",
  "proto",
  "rust",
  "scala",
  "swift",
  "typescript",
  "typescriptreact",
  "zig",
])
  LINE[id] = "//";
for (const id of [
  "bash",
  "cmake",
  "conf",
  "dockerfile",
  "elixir",
  "fish",
  "make",
  "nix",
  "perl",
  "python",
  "r",
  "ruby",
  "sh",
  "toml",
  "yaml",
  "zsh",
])
  LINE[id] = "#";
for (const id of ["haskell", "lua", "sql"]) LINE[id] = "--";
for (const id of ["clojure", "lisp", "scheme"]) LINE[id] = ";";
for (const id of ["erlang", "matlab", "tex"]) LINE[id] = "%";
LINE.vim = '"';

const BLOCK: Record<string, [string, string]> = {
  css: ["/*", "*/"],
  html: ["<!--", "-->"],
  markdown: ["<!--", "-->"],
  svelte: ["<!--", "-->"],
  vue: ["<!--", "-->"],
  xml: ["<!--", "-->"],
};

/**
 * The comment syntax of a language (VS Code's language ids; Neovim's filetypes map to them), or
 * undefined for languages without comments (JSON, plain text).
 */
export function commentSyntax(languageId: string): CommentSyntax | undefined {
  const id = ALIASES[languageId] ?? languageId;
  const line = LINE[id];
  if (line !== undefined) return { line };
  const block = BLOCK[id];
  return block ? { open: block[0], close: block[1] } : undefined;
}

/** Neovim filetypes and common short names that differ from VS Code's language ids. */
const ALIASES: Record<string, string> = {
  js: "javascript",
  jsx: "javascriptreact",
  ts: "typescript",
  tsx: "typescriptreact",
  py: "python",
  rb: "ruby",
  rs: "rust",
  cc: "cpp",
  "c++": "cpp",
  sass: "css",
  scss: "css",
};
