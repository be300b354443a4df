import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ByteArena } from "../src/engine/files/byte-arena.js";

describe("ByteArena", () => {
  it("carves small buffers from shared slabs and gives large ones their own", () => {
    const arena = new ByteArena();
    const a = arena.take(100);
    const b = arena.take(200);
    assert.equal(a.buffer, b.buffer);
    assert.ok(b.byteOffset >= a.byteOffset + 100);
    const big = arena.take(512 * 1024);
    assert.notEqual(big.buffer, a.buffer);
  });

  it("hands a released arena's slabs to the next arena, and refuses to carve after release", () => {
    const first = new ByteArena();
    const slab = first.take(64).buffer;
    first.release();
    assert.throws(() => first.take(1), /after release/);
    first.release(); // a second release does nothing
    const second = new ByteArena();
    assert.equal(second.take(64).buffer, slab, "the released slab is reused");
    // An arena never released keeps its slabs: a third arena gets fresh memory.
    const third = new ByteArena();
    assert.notEqual(third.take(64).buffer, slab);
    second.release();
    third.release();
  });
});
