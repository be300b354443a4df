/**
 * Finds every LF of a byte range 32 bytes a turn, with WebAssembly SIMD. A line index has to
 * visit every byte; JavaScript could not do it fast enough: Buffer#indexOf (memchr) from break to
 * break pays a call per line, about 40 bytes of source, and a JS loop, even four bytes a word,
 * ran no faster (both 0.5-1 GB/s on the 2-core machine the benchmarks run on). The module is a
 * few hundred bytes, assembled below from its instructions (its text form is in the comment of
 * `scanFunction`); where WebAssembly SIMD is missing, `newlineScanner()` is null and callers scan
 * in JavaScript.
 */

import {
  BLOCK,
  BR,
  BR_IF,
  END,
  functionBody,
  I8X16_BITMASK,
  I8X16_EQ,
  I8X16_SPLAT,
  I32,
  I32_ADD,
  I32_AND,
  I32_CONST,
  I32_CTZ,
  I32_EQZ,
  I32_GE_U,
  I32_OR,
  I32_SHL,
  I32_STORE,
  I32_SUB,
  instantiate,
  LOCAL_GET,
  LOCAL_SET,
  LOOP,
  SIMD,
  singleFunctionModule,
  uleb,
  V128,
  V128_LOAD,
  VOID,
} from "../../wasm/assembler.js";

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

const PARAMS = 2;
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
  return functionBody(
    [
      [3, I32],
      [1, V128],
    ],
    body,
  );
}

let scanner: NewlineScanner | null | undefined;

/** This thread's scanner, made on first use; null where WebAssembly SIMD is not available. */
export function newlineScanner(): NewlineScanner | null {
  if (scanner !== undefined) return scanner;
  const made = instantiate<(length: number, base: number) => number>(
    singleFunctionModule("scan", PARAMS, PAGES, scanFunction()),
    "scan",
  );
  if (made === null) {
    scanner = null;
    return null;
  }
  const heap = new Uint8Array(made.memory);
  const output = new Uint32Array(made.memory, OUTPUT_AT, SCAN_CHUNK);
  const scan = made.fn;
  scanner = {
    scan(bytes, base) {
      heap.set(bytes, INPUT_AT);
      // The last turn reads up to 31 bytes past the input: they must not be a stale LF.
      heap.fill(0, INPUT_AT + bytes.length, INPUT_AT + ((bytes.length + 31) & ~31));
      return output.subarray(0, scan(bytes.length, base | 0));
    },
  };
  return scanner;
}
