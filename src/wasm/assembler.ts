/**
 * Just enough of WebAssembly's binary format to build Rune's small SIMD kernels in code, with no
 * toolchain and no binary blob in the repository: each kernel writes its function body from the
 * opcodes below and its text form sits in a comment beside it. This folder imports nothing, so
 * both the engine and the protocol layer may use it without depending on each other.
 */

/** An unsigned LEB128 number, as the binary format writes sizes, indices and offsets. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return out;
}

/** A signed LEB128 number (i32.const takes its operand so). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const low = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (low & 0x40) === 0) || (rest === -1 && (low & 0x40) !== 0);
    out.push(done ? low : low | 0x80);
    if (done) return out;
  }
}

export const I32 = 0x7f;
export const V128 = 0x7b;
export const VOID = 0x40;
export const [BLOCK, LOOP, IF, ELSE, END, BR, BR_IF, RETURN] = [
  0x02, 0x03, 0x04, 0x05, 0x0b, 0x0c, 0x0d, 0x0f,
];
export const [LOCAL_GET, LOCAL_SET, LOCAL_TEE] = [0x20, 0x21, 0x22];
export const [I32_LOAD8_U, I32_STORE, I32_STORE8] = [0x2d, 0x36, 0x3a];
export const I32_CONST = 0x41;
export const [I32_EQZ, I32_EQ, I32_NE, I32_LT_U, I32_GE_U] = [0x45, 0x46, 0x47, 0x49, 0x4f];
export const [I32_CTZ, I32_ADD, I32_SUB, I32_AND, I32_OR, I32_SHL, I32_SHR_U] = [
  0x68, 0x6a, 0x6b, 0x71, 0x72, 0x74, 0x76,
];
/** The SIMD prefix; each SIMD instruction follows it with its own (LEB128) number. */
export const SIMD = 0xfd;
export const [V128_LOAD, V128_STORE, I8X16_SPLAT] = [0x00, 0x0b, 0x0f];
export const [I8X16_EQ, I8X16_LT_U, V128_OR, I8X16_BITMASK] = [0x23, 0x26, 0x50, 0x64];

/** A function body: its locals, as (count, type) pairs, then its code, sized as the format wants. */
export function functionBody(locals: readonly [number, number][], code: readonly number[]): number[] {
  const declared = [...uleb(locals.length), ...locals.flatMap(([count, type]) => [...uleb(count), type])];
  return [...uleb(declared.length + code.length), ...declared, ...code];
}

/**
 * A module of one exported function of `params` i32 parameters returning an i32, and an exported
 * memory of `pages` 64 KiB pages, named "memory".
 */
export function singleFunctionModule(
  exportName: string,
  params: number,
  pages: number,
  body: number[],
): Uint8Array {
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, ...uleb(params), ...new Array<number>(params).fill(I32), 1, I32]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, ...uleb(pages)]),
    ...section(7, [2, ...name("memory"), 0x02, 0, ...name(exportName), 0x00, 0]),
    ...section(10, [1, ...body]),
  ]);
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(text: string): number[] {
  return [text.length, ...Buffer.from(text, "latin1")];
}

/** The few WebAssembly calls Rune uses (the project's TypeScript libs do not declare them). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

/**
 * Compiles and instantiates a module, returning its memory and its function; null where this
 * runtime has no WebAssembly or refuses the module (no SIMD), so callers fall back to JavaScript.
 */
export function instantiate<F>(bytes: Uint8Array, exportName: string): { memory: ArrayBuffer; fn: F } | null {
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (!wasm) return null;
  try {
    const instance = new wasm.Instance(new wasm.Module(bytes));
    const memory = (instance.exports.memory as { buffer: ArrayBuffer }).buffer;
    return { memory, fn: instance.exports[exportName] as F };
  } catch {
    return null;
  }
}
