/**
 * Escapes UTF-8 bytes into the body of a JSON string, 16 bytes a turn, with WebAssembly SIMD. A
 * batch of files sent over stdio is mostly this work (see Utf8Text): the byte-at-a-time loop in
 * JavaScript ran at about 0.3 GB/s, as slow as JSON.stringify of the decoded strings; here a turn
 * with no byte to escape costs one load, three compares and one store, and source text has one
 * LF per forty bytes or so. The same escapes as JSON.stringify: `\"`, `\\`, the five short
 * control escapes, `\u00xx` (lower-case hex) for the other bytes below 0x20, nothing else.
 * `jsonEscaper()` is null where WebAssembly SIMD is missing; callers then escape in JavaScript.
 */
import {
  BLOCK,
  BR,
  BR_IF,
  END,
  functionBody,
  I8X16_BITMASK,
  I8X16_EQ,
  I8X16_LT_U,
  I8X16_SPLAT,
  I32,
  I32_ADD,
  I32_AND,
  I32_CONST,
  I32_CTZ,
  I32_EQ,
  I32_EQZ,
  I32_GE_U,
  I32_LOAD8_U,
  I32_SHR_U,
  I32_STORE8,
  IF,
  instantiate,
  LOCAL_GET,
  LOCAL_SET,
  LOOP,
  SIMD,
  singleFunctionModule,
  sleb,
  uleb,
  V128,
  V128_LOAD,
  V128_OR,
  V128_STORE,
  VOID,
} from "../../wasm/assembler.js";

/** Input bytes per call; the output region holds the worst case, six bytes out for each byte in. */
const CHUNK = 1 << 16;
const TABLE_AT = 0; // 256 bytes: per byte, 0 or the letter after the backslash ("u" for \u00xx)
const HEX_AT = 256; // "0123456789abcdef"
const INPUT_AT = 1024; // CHUNK bytes, then 16 zero bytes of padding
const OUTPUT_AT = 2 * CHUNK; // 6 * CHUNK bytes, plus one 16-byte store's overhang
const PAGES = Math.ceil((OUTPUT_AT + 6 * CHUNK + 16) / CHUNK);

/** Where escaped bytes go: room for `n` more bytes, then the bytes copied in at `length`. */
export interface ByteSink {
  reserve(n: number): Buffer;
  length: number;
}

export interface JsonEscaper {
  /** Appends the JSON string body of `bytes` (UTF-8, no quotes) to `sink`. */
  escape(bytes: Uint8Array, sink: ByteSink): void;
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const U = 0x75;
const ZERO = 0x30;

// Locals: the parameter, then i, o, m, b and c, then the input vector and three splats.
const [LEN, I, O, M, B, C, V, QUOTES, BACKSLASHES, SPACES] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/**
 * Zero bytes pad the input, and a zero byte needs escaping, so a turn that reaches past $len
 * always stops at $len: a turn stored whole never holds padding.
 *
 * (func (param $len i32) (result i32)
 *   (local $i i32) (local $o i32) (local $m i32) (local $b i32) (local $c i32)
 *   (local $v v128) (local $quotes v128) (local $backslashes v128) (local $spaces v128)
 *   (local.set $quotes (i8x16.splat 0x22)) (local.set $backslashes (i8x16.splat 0x5c))
 *   (local.set $spaces (i8x16.splat 0x20))
 *   (block $done (loop $turn
 *     (br_if $done (i32.ge_u $i $len))
 *     (local.set $v (v128.load offset=INPUT_AT $i))
 *     (v128.store offset=OUTPUT_AT $o $v)                            ;; as if nothing needs escaping
 *     (local.set $m (i8x16.bitmask (v128.or (v128.or (i8x16.lt_u $v $spaces)
 *                                   (i8x16.eq $v $quotes)) (i8x16.eq $v $backslashes))))
 *     (if (i32.eqz $m) (then
 *       (local.set $i (i32.add $i 16)) (local.set $o (i32.add $o 16)) (br $turn)))
 *     (local.set $m (i32.ctz $m))                                     ;; the clean bytes before it
 *     (local.set $i (i32.add $i $m)) (local.set $o (i32.add $o $m))
 *     (br_if $done (i32.ge_u $i $len))                                ;; it is padding
 *     (local.set $b (i32.load8_u offset=INPUT_AT $i))
 *     (local.set $c (i32.load8_u offset=TABLE_AT $b))
 *     (i32.store8 offset=OUTPUT_AT $o (i32.const 0x5c))
 *     (i32.store8 offset=OUTPUT_AT+1 $o $c)
 *     (if (i32.eq $c (i32.const 0x75)) (then
 *       (i32.store8 offset=OUTPUT_AT+2 $o (i32.const 0x30))
 *       (i32.store8 offset=OUTPUT_AT+3 $o (i32.const 0x30))
 *       (i32.store8 offset=OUTPUT_AT+4 $o (i32.load8_u offset=HEX_AT (i32.shr_u $b 4)))
 *       (i32.store8 offset=OUTPUT_AT+5 $o (i32.load8_u offset=HEX_AT (i32.and $b 15)))
 *       (local.set $o (i32.add $o 4))))
 *     (local.set $o (i32.add $o 2)) (local.set $i (i32.add $i 1))
 *     (br $turn)))
 *   $o)
 */
function escapeFunction(): number[] {
  const at = (offset: number): number[] => [0, ...uleb(offset)]; // memarg: alignment hint 1, offset
  const add = (local: number, value: number[]): number[] => [
    ...[LOCAL_GET, local, ...value, I32_ADD, LOCAL_SET, local],
  ];
  const constant = (value: number): number[] => [I32_CONST, ...sleb(value)];
  const splat = (byte: number, local: number): number[] => [
    ...[...constant(byte), SIMD, I8X16_SPLAT, LOCAL_SET, local],
  ];
  const storeByte = (offset: number, value: number[]): number[] => [
    ...[LOCAL_GET, O, ...value, I32_STORE8, ...at(OUTPUT_AT + offset)],
  ];
  const hexDigit = (digit: number[]): number[] => [...digit, I32_LOAD8_U, ...at(HEX_AT)];
  const code = [
    ...splat(QUOTE, QUOTES),
    ...splat(BACKSLASH, BACKSLASHES),
    ...splat(0x20, SPACES),
    ...[BLOCK, VOID, LOOP, VOID],
    ...[LOCAL_GET, I, LOCAL_GET, LEN, I32_GE_U, BR_IF, 1],
    ...[LOCAL_GET, I, SIMD, V128_LOAD, ...at(INPUT_AT), LOCAL_SET, V],
    ...[LOCAL_GET, O, LOCAL_GET, V, SIMD, V128_STORE, ...at(OUTPUT_AT)],
    ...[LOCAL_GET, V, LOCAL_GET, SPACES, SIMD, I8X16_LT_U],
    ...[LOCAL_GET, V, LOCAL_GET, QUOTES, SIMD, I8X16_EQ, SIMD, V128_OR],
    ...[LOCAL_GET, V, LOCAL_GET, BACKSLASHES, SIMD, I8X16_EQ, SIMD, V128_OR],
    ...[SIMD, I8X16_BITMASK, LOCAL_SET, M],
    ...[LOCAL_GET, M, I32_EQZ, IF, VOID],
    ...add(I, constant(16)),
    ...add(O, constant(16)),
    ...[BR, 1, END],
    ...[LOCAL_GET, M, I32_CTZ, LOCAL_SET, M],
    ...add(I, [LOCAL_GET, M]),
    ...add(O, [LOCAL_GET, M]),
    ...[LOCAL_GET, I, LOCAL_GET, LEN, I32_GE_U, BR_IF, 1],
    ...[LOCAL_GET, I, I32_LOAD8_U, ...at(INPUT_AT), LOCAL_SET, B],
    ...[LOCAL_GET, B, I32_LOAD8_U, ...at(TABLE_AT), LOCAL_SET, C],
    ...storeByte(0, constant(BACKSLASH)),
    ...storeByte(1, [LOCAL_GET, C]),
    ...[LOCAL_GET, C, ...constant(U), I32_EQ, IF, VOID],
    ...storeByte(2, constant(ZERO)),
    ...storeByte(3, constant(ZERO)),
    ...storeByte(4, hexDigit([LOCAL_GET, B, ...constant(4), I32_SHR_U])),
    ...storeByte(5, hexDigit([LOCAL_GET, B, ...constant(15), I32_AND])),
    ...add(O, constant(4)),
    END,
    ...add(O, constant(2)),
    ...add(I, constant(1)),
    ...[BR, 0, END, END],
    ...[LOCAL_GET, O, END],
  ];
  return functionBody(
    [
      [5, I32],
      [4, V128],
    ],
    code,
  );
}

/** Per byte: 0 when it stands for itself, else the letter after the backslash. */
export const ESCAPE_LETTER = new Uint8Array(256);
for (let byte = 0; byte < 0x20; byte++) ESCAPE_LETTER[byte] = U;
for (const [byte, letter] of [
  [0x08, "b"],
  [0x09, "t"],
  [0x0a, "n"],
  [0x0c, "f"],
  [0x0d, "r"],
  [QUOTE, '"'],
  [BACKSLASH, "\\"],
] as const) {
  ESCAPE_LETTER[byte] = letter.charCodeAt(0);
}

let escaper: JsonEscaper | null | undefined;

/** This thread's escaper, made on first use; null where WebAssembly SIMD is not available. */
export function jsonEscaper(): JsonEscaper | null {
  if (escaper !== undefined) return escaper;
  const made = instantiate<(length: number) => number>(
    singleFunctionModule("escape", 1, PAGES, escapeFunction()),
    "escape",
  );
  if (made === null) {
    escaper = null;
    return null;
  }
  const heap = Buffer.from(made.memory);
  heap.set(ESCAPE_LETTER, TABLE_AT);
  heap.write("0123456789abcdef", HEX_AT, "latin1");
  const run = made.fn;
  escaper = {
    escape(bytes, sink) {
      for (let start = 0; start < bytes.length; start += CHUNK) {
        const chunk = bytes.subarray(start, Math.min(start + CHUNK, bytes.length));
        heap.set(chunk, INPUT_AT);
        heap.fill(0, INPUT_AT + chunk.length, INPUT_AT + chunk.length + 16);
        const n = run(chunk.length);
        heap.copy(sink.reserve(n), sink.length, OUTPUT_AT, OUTPUT_AT + n);
        sink.length += n;
      }
    },
  };
  return escaper;
}
