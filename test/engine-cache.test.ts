import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ByteLru, Engine, MemoryPressure } from "../src/engine/index.js";
import { tempDir } from "./helpers/sdk-client.js";

describe("ByteLru", () => {
  it("evicts the least recently used entries, of any kind, once the byte budget is exceeded", () => {
    const cache = new ByteLru({ budgetBytes: 100 });
    cache.set("file", "a", "A", 40);
    cache.set("lines", "b", "B", 40);
    assert.equal(cache.get("file", "a"), "A"); // a is now the most recent
    cache.set("search", "c", "C", 40); // 120 > 100: b, the least recent, goes
    assert.equal(cache.get("lines", "b"), undefined);
    assert.equal(cache.get("file", "a"), "A");
    assert.equal(cache.get("search", "c"), "C");
    assert.equal(cache.size, 80);
    const stats = cache.snapshot();
    assert.equal(stats.kinds.lines?.evictions, 1);
    assert.equal(stats.kinds.file?.hits, 2);
    assert.equal(stats.kinds.lines?.misses, 1);
  });

  it("does not store an entry larger than the whole budget", () => {
    const cache = new ByteLru({ budgetBytes: 10 });
    cache.set("file", "big", "x", 11);
    assert.equal(cache.size, 0);
    assert.equal(cache.get("file", "big"), undefined);
  });

  it("drops entries made from a path, and every '*' entry, when that path changes", () => {
    const cache = new ByteLru();
    cache.set("file", "/r/a", 1, 10, "/r/a");
    cache.set("lines", "/r/a", 2, 10, "/r/a");
    cache.set("file", "/r/b", 3, 10, "/r/b");
    cache.set("search", "q", 4, 10, "*");
    cache.invalidate("/r/a");
    assert.equal(cache.get("file", "/r/a"), undefined);
    assert.equal(cache.get("lines", "/r/a"), undefined);
    assert.equal(cache.get("search", "q"), undefined);
    assert.equal(cache.get("file", "/r/b"), 3);
  });

  it("halves itself when memory crosses the pressure threshold", () => {
    const cache = new ByteLru({ budgetBytes: 1000 });
    for (let i = 0; i < 10; i++) cache.set("file", String(i), i, 100);
    const pressure = new MemoryPressure(cache, {
      rssLimitBytes: 1_000,
      heapLimitBytes: 1_000,
      intervalMs: 60_000,
    });
    try {
      assert.equal(pressure.check({ rss: 500, heapUsed: 500 }), false);
      assert.equal(cache.size, 1000);
      assert.equal(pressure.check({ rss: 5_000, heapUsed: 500 }), true);
      assert.equal(cache.size, 500);
      assert.equal(cache.get("file", "9"), 9, "the most recent entries stay");
      assert.equal(cache.get("file", "0"), undefined);
      assert.equal(cache.snapshot().pressureShrinks, 1);
    } finally {
      pressure.close();
    }
  });
});

describe("the engine's cache", () => {
  const engines: Engine[] = [];
  after(async () => {
    await Promise.all(engines.map((e) => e.dispose()));
  });

  async function waitFor(
    condition: () => boolean | Promise<boolean>,
    what: string,
    touch?: () => void,
  ): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await condition())) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      touch?.();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("serves a file's contents from memory until the watcher reports a change, then reads it again", async () => {
    const root = tempDir();
    const path = join(root, "big.txt");
    writeFileSync(path, "first\n".repeat(5000));
    const engine = new Engine({ roots: [root], allowWrites: false, workers: 1 });
    engines.push(engine);
    await engine.watch();
    const read = async () => (await engine.files.read(path, { head: 1 })).content;
    assert.equal(await read(), "first\n");
    assert.equal(await read(), "first\n");
    assert.equal(engine.cache.snapshot().kinds.file?.hits, 1);
    writeFileSync(path, "second\n".repeat(5000));
    await waitFor(
      () => (engine.cache.snapshot().kinds.file?.entries ?? 0) === 0,
      "the watcher to drop the entry",
    );
    assert.equal(await read(), "second\n");
  });

  it("answers a repeated search from the cache while watching, and searches again after a change", async () => {
    const root = tempDir();
    writeFileSync(join(root, "a.txt"), "needle one\n");
    const engine = new Engine({ roots: [root], allowWrites: false, workers: 1 });
    engines.push(engine);
    await engine.watch();
    const search = () => engine.scope.search.search({ patterns: ["needle"] });
    assert.equal((await search()).matches, 1);
    assert.equal((await search()).matches, 1);
    assert.equal(engine.cache.snapshot().kinds.search?.hits, 1);
    writeFileSync(join(root, "b.txt"), "needle two\n");
    await waitFor(async () => (await search()).matches === 2, "the new file to be found");
  });

  it("does not reuse searches when nothing watches the workspace", async () => {
    const root = tempDir();
    writeFileSync(join(root, "a.txt"), "needle\n");
    const engine = new Engine({ roots: [root], allowWrites: false, workers: 1 });
    engines.push(engine);
    await engine.scope.search.search({ patterns: ["needle"] });
    writeFileSync(join(root, "b.txt"), "needle\n");
    assert.equal((await engine.scope.search.search({ patterns: ["needle"] })).matches, 2);
    assert.equal(engine.cache.snapshot().kinds.search, undefined);
  });
});
