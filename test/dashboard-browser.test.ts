import assert from "node:assert/strict";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { type RunningHttp, sdkHttpClient, startRuneHttp } from "./helpers/http-server.js";
import { tempDir } from "./helpers/sdk-client.js";

const TOKEN = "dashboard-test-token-9a8b7c6d5e4f3a2b1c0d";
/** Debian's Chromium (scripts/install-test-tools.mjs installs it); playwright-core brings no browser. */
const CHROMIUM = process.env.RUNE_CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));

describe("the dashboard in a real Chromium", () => {
  let server: RunningHttp;
  let browser: Browser;

  before(async () => {
    const root = tempDir();
    writeFileSync(join(root, "a.txt"), "alpha\n".repeat(4000));
    server = await startRuneHttp(TOKEN, [root]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("charts the calls made, with sessions, slowest calls and cache figures, after exchanging the token for a cookie", async () => {
    const client = await sdkHttpClient(server);
    for (let i = 0; i < 60; i++) {
      await client.callTool({
        name: i % 3 === 0 ? "search" : "read_file",
        arguments: i % 3 === 0 ? { patterns: ["alpha"], maxResults: 5 } : { path: "a.txt", head: 5 },
      });
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(new URL(`/dashboard?token=${TOKEN}`, server.url).href);
    assert.equal(new URL(page.url()).pathname, "/dashboard");
    assert.equal(new URL(page.url()).search, "", "the token left the address bar");
    assert.equal(await page.evaluate("document.cookie"), "", "the cookie is HttpOnly");
    await page.waitForSelector("body[data-updated]");
    // Rate chart: one polyline whose points include a non-zero rate (y above the baseline).
    const rate = await page.$eval("#rate-chart polyline", (line) => ({
      count: Number(line.getAttribute("data-points")),
      ys: (line.getAttribute("points") ?? "").split(" ").map((p: string) => Number(p.split(",")[1])),
    }));
    assert.ok(rate.count > 10, `rate chart has ${rate.count} points`);
    assert.ok(Math.min(...rate.ys) < 140, "some interval has calls");
    const latency = await page.$$eval("#latency-chart polyline", (lines) =>
      lines.map((l) => Number(l.getAttribute("data-points"))),
    );
    assert.equal(latency.length, 3, "p50, p95 and p99");
    assert.ok(
      latency.every((n) => n > 0),
      `latency series have points: ${latency}`,
    );
    const memory = await page.$eval("#memory-chart polyline", (line) =>
      Number(line.getAttribute("data-points")),
    );
    assert.ok(memory > 0);
    const sessions = await page.$$eval("#sessions tbody tr", (rows) => rows.map((r) => r.textContent ?? ""));
    assert.ok(
      sessions.some((s) => s.includes("http") && s.includes("rune-tests")),
      sessions.join(" | "),
    );
    const slowest = await page.$$eval("#slowest tbody tr", (rows) => rows.length);
    assert.ok(slowest > 0);
    assert.notEqual(await page.textContent("#cache-rate"), "–");
    assert.match((await page.textContent("#status")) ?? "", /ready/);
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, "dashboard.png");
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000);
    assert.deepEqual(errors, [], "no script errors (the CSP allows what the page needs)");
    await client.close();
  });

  it("shows nothing but how to sign in without the token or cookie", async () => {
    const page = await browser.newPage();
    const response = await page.goto(new URL("/dashboard", server.url).href);
    assert.equal(response?.status(), 401);
    assert.match((await page.textContent("body")) ?? "", /dashboard\?token=/);
  });
});
