import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { RuneLogger } from "../src/ops/log.js";
import { Redactor } from "../src/ops/redact.js";

function capture(): { stream: Writable; text: () => string } {
  let out = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  return { stream, text: () => out };
}

describe("log redaction", () => {
  const own = "own-server-token-8d1f0c2b7a";
  const samples = {
    bearer: "Bearer abcdefghijklmnop1234",
    github: "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    slack: "xoxb-1234567890-abcdefghij",
    aws: "AKIAABCDEFGHIJKLMNOP",
    anthropic: "sk-ant-abcdefghijklmnopqrstuvwxyz012345",
  };

  for (const format of ["text", "json"] as const) {
    it(`keeps the server's token, bearer credentials, authToken fields and known token formats out of ${format} logs`, () => {
      const redactor = new Redactor();
      redactor.add(own);
      const { stream, text } = capture();
      const logger = new RuneLogger({ level: "debug", format, redactor, stream });
      logger.info(`client sent ${own} and ${samples.bearer}`);
      logger.warn("headers", { headers: { authorization: samples.bearer, host: "localhost" } });
      logger.error("lock", {
        authToken: "11111111-2222-3333-4444-555555555555",
        nested: { token: "plain-secret-value" },
      });
      logger.debug(
        `found ${samples.github} ${samples.slack} ${samples.aws} ${samples.anthropic} in a message`,
      );
      logger.info("url", { url: "http://127.0.0.1/dashboard?token=abcdef0123456789&x=1" });
      const out = text();
      for (const secret of [
        own,
        ...Object.values(samples),
        "11111111-2222-3333-4444-555555555555",
        "plain-secret-value",
        "abcdef0123456789",
      ]) {
        assert.ok(!out.includes(secret), `${secret} leaked into: ${out}`);
      }
      assert.match(out, /\[REDACTED\]/);
      assert.match(out, /localhost/, "other fields stay");
      assert.equal(logger.recentErrors().length, 2, "warnings and errors are kept for dumps");
    });
  }

  it("honours the level and tells listeners exactly what it wrote", () => {
    const { stream, text } = capture();
    const logger = new RuneLogger({ level: "warn", redactor: new Redactor(), stream });
    const heard: string[] = [];
    logger.onEvent((event, level) => heard.push(`${level}:${event.msg}`));
    logger.info("not written");
    logger.warn("written");
    assert.deepEqual(heard, ["warning:written"]);
    assert.ok(!text().includes("not written"));
    assert.match(text(), /rune warn: written/);
  });
});
