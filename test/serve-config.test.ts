import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ConfigError, DEFAULTS, parseServeConfig } from "../src/cli/config.js";
import { tempDir } from "./helpers/sdk-client.js";

describe("rune serve configuration", () => {
  it("defaults to serving the current folder read-only with bounded limits", () => {
    const config = parseServeConfig([], {});
    assert.ok(config !== "help");
    assert.deepEqual(config, { ...DEFAULTS, roots: [process.cwd()] });
    assert.equal(config.allowWrites, false);
  });

  it("takes roots as positionals and --root, in order", () => {
    const config = parseServeConfig(["--root", "/a", "/b"], {});
    assert.ok(config !== "help");
    assert.deepEqual(config.roots, ["/a", "/b"]);
  });

  it("lets flags win over the environment, and the environment over the file", () => {
    const dir = tempDir();
    const file = join(dir, "rune.json");
    writeFileSync(file, JSON.stringify({ logLevel: "debug", pageSize: 7, allowWrites: false }));
    const fromFile = parseServeConfig(["--config", file], {});
    assert.ok(fromFile !== "help");
    assert.equal(fromFile.logLevel, "debug");
    assert.equal(fromFile.pageSize, 7);
    const fromEnv = parseServeConfig(["--config", file], { RUNE_LOG_LEVEL: "warn", RUNE_ALLOW_WRITES: "1" });
    assert.ok(fromEnv !== "help");
    assert.equal(fromEnv.logLevel, "warn");
    assert.equal(fromEnv.allowWrites, true);
    const fromFlag = parseServeConfig(["--config", file, "--log-level", "error"], { RUNE_LOG_LEVEL: "warn" });
    assert.ok(fromFlag !== "help");
    assert.equal(fromFlag.logLevel, "error");
  });

  it("refuses bad values with a message naming the setting", () => {
    assert.throws(
      () => parseServeConfig(["--page-size", "0"], {}),
      /--page-size takes a whole number >= 1, got "0"/,
    );
    assert.throws(() => parseServeConfig(["--log-level", "loud"], {}), /Unknown log level "loud"/);
    assert.throws(() => parseServeConfig(["--nope"], {}), ConfigError);
    const dir = tempDir();
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ rootz: [] }));
    assert.throws(() => parseServeConfig(["--config", file], {}), /unknown setting "rootz"/);
    assert.throws(
      () => parseServeConfig(["--config", join(dir, "missing.json")], {}),
      /Cannot read config file/,
    );
  });

  it("takes the Neovim address from --nvim or the config file, and refuses an empty one", () => {
    assert.equal((parseServeConfig([], {}) as { nvim?: string }).nvim, undefined);
    assert.equal((parseServeConfig(["--nvim", "/tmp/n.sock"], {}) as { nvim?: string }).nvim, "/tmp/n.sock");
    const dir = tempDir();
    const file = join(dir, "rune.json");
    writeFileSync(file, JSON.stringify({ nvim: "127.0.0.1:6666" }));
    assert.equal((parseServeConfig(["--config", file], {}) as { nvim?: string }).nvim, "127.0.0.1:6666");
    writeFileSync(file, JSON.stringify({ nvim: "" }));
    assert.throws(
      () => parseServeConfig(["--config", file], {}),
      /"nvim" must be the address Neovim listens on/,
    );
  });

  it("answers --help with the usage instead of a configuration", () => {
    assert.equal(parseServeConfig(["--help"], {}), "help");
  });
  it("takes the operations options: log file and format, metrics, cache folder and budget, compression, ws deflate", () => {
    const config = parseServeConfig(
      [
        "--log-file",
        "/tmp/r.log",
        "--log-format",
        "json",
        "--no-metrics",
        "--cache-dir",
        "/tmp/c",
        "--cache-mb",
        "8",
        "--no-compress",
        "--ws-deflate",
      ],
      {},
    );
    assert.ok(config !== "help");
    assert.equal(config.logFile, "/tmp/r.log");
    assert.equal(config.logFormat, "json");
    assert.equal(config.metrics, false);
    assert.equal(config.cacheDir, "/tmp/c");
    assert.equal(config.cacheBytes, 8 * 1024 * 1024);
    assert.equal(config.compressMinBytes, false);
    assert.equal(config.wsDeflate, true);
    const fromEnv = parseServeConfig([], { RUNE_LOG_FILE: "/tmp/e.log", RUNE_CACHE_DIR: "/tmp/ec" });
    assert.ok(fromEnv !== "help");
    assert.equal(fromEnv.logFile, "/tmp/e.log");
    assert.equal(fromEnv.cacheDir, "/tmp/ec");
    assert.throws(() => parseServeConfig(["--log-format", "xml"], {}), /Unknown log format "xml"/);
    assert.throws(() => parseServeConfig(["--cache-mb", "0"], {}), /--cache-mb takes a whole number >= 1/);
  });
});
