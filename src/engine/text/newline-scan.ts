/**
 * Finds every LF of a byte range 32 bytes a turn, with WebAssembly SIMD. A line index has to
 * visit every byte; JavaScript could not do it fast enough: Buffer#indexOf (memchr) from break to
 * break pays a call per line, about 40 bytes of source, and a JS loop, even four bytes a word,
 * ran no faster (both 0.5-1 GB/s on the 2-core machine the benchmarks run on). The module is a
 * few hundred bytes, assembled below from its instructions (its text form is in the comment of
 * `scanFunction`); where WebAssembly SIMD is missing, `newlineScanner()` is null and callers scan
 * in JavaScript.
 */

/** Bytes of input per call; each may hold as many LFs as bytes, so the output region is 4x. */
export const SCAN_CHUNK = 1 << 16;
const INPUT_AT = 0;
const OUTPUT_AT = 2 * SCAN_CHUNK; // past the input and its padding to a whole turn (32 bytes)
const PAGES = (OUTPUT_AT + 4 * SCAN_CHUNK) / SCAN_CHUNK; // wasm pages are 64 KiB, as SCAN_CHUNK

/** Scans chunks of at most SCAN_CHUNK bytes; `scan` returns the line starts it found. */
export interface NewlineScanner {
  /**
   * Offsets just past each LF of `bytes` (so: where the next line starts), plus `base`, as a view
   * that the next call overwrites. `base + bytes.length` must stay below 2^32.
   */
  scan(bytes: Uint8Array, base: number): Uint32Array;
}

const uleb = (value: number): number[] => {
  const out: number[] = [];
  let rest = value;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return out;
};
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
const name = (text: string): number[] => [text.length, ...Buffer.from(text, "latin1")];

const I32 = 0x7f;
const V128 = 0x7b;
const [BLOCK, LOOP, END, BR, BR_IF] = [0x02, 0x03, 0x0b, 0x0c, 0x0d];
const VOID = 0x40;
const [LOCAL_GET, LOCAL_SET] = [0x20, 0x21];
const [I32_CONST, I32_EQZ, I32_GE_U, I32_CTZ, I32_ADD, I32_SUB, I32_AND, I32_OR, I32_SHL, I32_STORE] = [
  0x41, 0x45, 0x4f, 0x68, 0x6a, 0x6b, 0x71, 0x72, 0x74, 0x36,
];
const SIMD = 0xfd;
const [V128_LOAD, I8X16_SPLAT, I8X16_EQ, I8X16_BITMASK] = [0x00, 0x0f, 0x23, 0x64];
// Locals: the two parameters, then i, n and m, then the vector of LFs.
const [LEN, BASE, I, N, M, LF] = [0, 1, 2, 3, 4, 5];

/**
 * (func (param $len i32) (param $base i32) (result i32)
 *   (local $i i32) (local $n i32) (local $m i32) (local $lf v128)
 *   (local.set $lf (i8x16.splat 10))
 *   (block $done (loop $words                                      ;; 32 bytes a turn
 *     (br_if $done (i32.ge_u $i $len))
 *     (local.set $m (i32.or (i8x16.bitmask (i8x16.eq (v128.load $i) $lf))
 *                           (i32.shl (i8x16.bitmask (i8x16.eq (v128.load offset=16 $i) $lf)) 16)))
 *     (block $none (loop $bits
 *       (br_if $none (i32.eqz $m))
 *       (i32.store offset=OUTPUT_AT (i32.shl $n 2) (i32.add (i32.add (i32.add $base $i) (i32.ctz $m)) 1))
 *       (local.set $n (i32.add $n 1))
 *       (local.set $m (i32.and $m (i32.sub $m 1)))
 *       (br $bits)))
 *     (local.set $i (i32.add $i 32))
 *     (br $words)))
 *   $n)
 */
function scanFunction(): number[] {
  const body = [
    ...[I32_CONST, 10, SIMD, I8X16_SPLAT, LOCAL_SET, LF],
    ...[BLOCK, VOID, LOOP, VOID],
    ...[LOCAL_GET, I, LOCAL_GET, LEN, I32_GE_U, BR_IF, 1],
    ...[LOCAL_GET, I, SIMD, V128_LOAD, 0, ...uleb(INPUT_AT)],
    ...[LOCAL_GET, LF, SIMD, I8X16_EQ, SIMD, I8X16_BITMASK],
    ...[LOCAL_GET, I, SIMD, V128_LOAD, 0, ...uleb(INPUT_AT + 16)],
    ...[LOCAL_GET, LF, SIMD, I8X16_EQ, SIMD, I8X16_BITMASK, I32_CONST, 16, I32_SHL, I32_OR, LOCAL_SET, M],
    ...[BLOCK, VOID, LOOP, VOID],
    ...[LOCAL_GET, M, I32_EQZ, BR_IF, 1],
    ...[LOCAL_GET, N, I32_CONST, 2, I32_SHL],
    ...[LOCAL_GET, BASE, LOCAL_GET, I, I32_ADD, LOCAL_GET, M, I32_CTZ, I32_ADD, I32_CONST, 1, I32_ADD],
    ...[I32_STORE, 2, ...uleb(OUTPUT_AT)],
    ...[LOCAL_GET, N, I32_CONST, 1, I32_ADD, LOCAL_SET, N],
    ...[LOCAL_GET, M, LOCAL_GET, M, I32_CONST, 1, I32_SUB, I32_AND, LOCAL_SET, M],
    ...[BR, 0, END, END],
    ...[LOCAL_GET, I, I32_CONST, 32, I32_ADD, LOCAL_SET, I],
    ...[BR, 0, END, END],
    ...[LOCAL_GET, N, END],
  ];
  const locals = [2, 3, I32, 1, V128];
  return [...uleb(locals.length + body.length), ...locals, ...body];
}

function moduleBytes(): Uint8Array {
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 2, I32, I32, 1, I32]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, ...uleb(PAGES)]),
    ...section(7, [2, ...name("memory"), 0x02, 0, ...name("scan"), 0x00, 0]),
    ...section(10, [1, ...scanFunction()]),
  ]);
}

/** The few WebAssembly calls used here (the project's TypeScript libs do not declare them). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

let scanner: NewlineScanner | null | undefined;

/** This thread's scanner, made on first use; null where WebAssembly SIMD is not available. */
export function newlineScanner(): NewlineScanner | null {
  if (scanner !== undefined) return scanner;
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  try {
    if (!wasm) throw new Error("no WebAssembly");
    const instance = new wasm.Instance(new wasm.Module(moduleBytes()));
    const memory = instance.exports.memory as { buffer: ArrayBuffer };
    const scan = instance.exports.scan as (length: number, base: number) => number;
    const heap = new Uint8Array(memory.buffer);
    const output = new Uint32Array(memory.buffer, OUTPUT_AT, SCAN_CHUNK);
    scanner = {
      scan(bytes, base) {
        heap.set(bytes, INPUT_AT);
        // The last turn reads up to 31 bytes past the input: they must not be a stale LF.
        heap.fill(0, INPUT_AT + bytes.length, INPUT_AT + ((bytes.length + 31) & ~31));
        return output.subarray(0, scan(bytes.length, base | 0));
      },
    };
  } catch {
    scanner = null;
  }
  return scanner;
}
