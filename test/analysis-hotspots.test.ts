import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Engine } from "../src/engine/index.js";
import { fixtureCopy } from "./helpers/analysis-fixtures.js";

const engines: Engine[] = [];
after(() => Promise.all(engines.map((e) => e.dispose())));
function engine(root: string): Engine {
  const created = new Engine({ roots: [root], allowWrites: false, symbolCache: false, workers: 1 });
  engines.push(created);
  return created;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", args, {
    cwd,
    stdio: "ignore",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    },
  });
}

describe("performance_profile engine", () => {
  it("measures cyclomatic complexity per function in TypeScript, Python and Go, and says when there is no git", async () => {
    const root = fixtureCopy("hotspots");
    const result = await engine(root).scope.hotspots.profile({ minComplexity: 1, limit: 100 });
    const found = result.hotspots.map((h) => [
      h.path.slice(root.length + 1),
      h.name,
      h.complexity,
      h.lines,
      h.range.start.line,
    ]);
    assert.deepEqual(
      found.sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      [
        ["router.ts", "outer/<anonymous>", 2, 1, 36],
        ["stats.py", "identity", 1, 2, 18],
        ["router.ts", "outer", 2, 4, 34],
        ["queue.go", "Queue/Pop", 6, 15, 6],
        ["router.ts", "Router/reset", 1, 3, 26],
        ["router.ts", "Router/route", 11, 21, 3],
        ["stats.py", "summarize", 8, 15, 1],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
    assert.equal(result.churn.available, false);
    assert.match(result.churn.note ?? "", /no git history.*churn counted as 0/);
    assert.equal(result.hotspots[0]?.name, "Router/route", "without history, complexity alone ranks");
    assert.equal(result.hotspots[0]?.score, 11);
  });

  it("ranks by complexity weighted by the commits that touched each file", async () => {
    const root = fixtureCopy("hotspots");
    git(root, "init", "-q");
    git(root, "add", ".");
    git(root, "commit", "-qm", "start");
    for (let i = 0; i < 8; i++) {
      appendFileSync(join(root, "queue.go"), `// change ${i}\n`);
      git(root, "commit", "-qam", `change ${i}`);
    }
    const result = await engine(root).scope.hotspots.profile({ limit: 2 });
    assert.equal(result.churn.available, true);
    assert.equal(result.churn.commitsRead, 9);
    assert.deepEqual(
      result.hotspots.map((h) => [h.name, h.complexity, h.commits, h.score]),
      [
        // 6 × (1 + ln 10) = 19.82 beats 11 × (1 + ln 2) = 18.62
        ["Queue/Pop", 6, 9, 19.82],
        ["Router/route", 11, 1, 18.62],
      ],
    );
    const window = await engine(root).scope.hotspots.profile({ limit: 1, maxCommits: 2 });
    assert.equal(window.churn.commitsRead, 2);
    assert.equal(window.hotspots[0]?.commits, 2);
  });
});
