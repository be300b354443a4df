import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { entropy, isPlaceholder } from "../src/engine/analysis/security-rules.js";
import { Engine, toSarif } from "../src/engine/index.js";
import { tempDir } from "./helpers/sdk-client.js";

// Fake credentials in the issuers' formats, assembled at run time so this file holds none.
const AWS_ID = `AKIA${"IOSFODNN7EXAMPLE"}`;
const GITHUB = `ghp_${"a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"}`;
const STRIPE = `sk_live_${"4eC39HqLyjWDarjtT1zdp7dc"}`;
const KEY_HEADER = `-----BEGIN RSA ${"PRIVATE KEY"}-----`;

function tree(files: Record<string, string | Buffer>): string {
  const root = tempDir("rune-security-");
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const engines: Engine[] = [];
after(() => Promise.all(engines.map((e) => e.dispose())));
async function scan(files: Record<string, string | Buffer>, request = {}) {
  const root = tree(files);
  const engine = new Engine({ roots: [root], allowWrites: false });
  engines.push(engine);
  const result = await engine.scope.security.scan(request);
  return {
    root,
    result,
    found: result.findings.map((f) => `${f.path.slice(root.length + 1)}:${f.line}:${f.ruleId}`),
  };
}

describe("security scan", () => {
  it("finds committed tokens, keys and high-entropy secrets, and masks them", async () => {
    const { found, result } = await scan({
      "config.js": `const aws = "${AWS_ID}";\nconst gh = '${GITHUB}';\n`,
      "billing.py": `STRIPE = "${STRIPE}"\npassword = "Xk9#mP2$vL7qR4wZ"\n`,
      "keys/id_rsa": `${KEY_HEADER}\nMIIEow...\n`,
      ".env": "DATABASE_URL=postgres://user:hunter2@db/app\n",
    });
    assert.deepEqual(found.sort(), [
      ".env:1:secret/dotenv-file",
      "billing.py:1:secret/stripe-key",
      "billing.py:2:secret/generic-assignment",
      "config.js:1:secret/aws-access-key-id",
      "config.js:2:secret/github-token",
      "keys/id_rsa:1:secret/private-key",
    ]);
    for (const finding of result.findings) {
      assert.ok(!finding.snippet.includes(GITHUB) && !finding.snippet.includes(STRIPE), finding.snippet);
    }
    const gh = result.findings.find((f) => f.ruleId === "secret/github-token");
    assert.deepEqual([gh?.column, gh?.endColumn], [13, 13 + GITHUB.length]);
  });

  it("does not report placeholders, low-entropy values, examples or ignored files", async () => {
    const { found } = await scan({
      "settings.py":
        'password = "changeme"\napi_key = "${API_KEY}"\nsecret = "aaaaaaaaaaaaaaaa"\ntoken = process.env.TOKEN\n',
      ".env.example": "API_KEY=your-key-here\nSECRET=\n",
      ".gitignore": ".env\n",
      ".env": `AWS=${AWS_ID}\n`,
      "docs.md": "Tokens look like ghp_ followed by 36 characters.\n",
    });
    assert.deepEqual(found, []);
  });

  it("finds dangerous sinks in code, and leaves their safe forms alone", async () => {
    const { found } = await scan({
      "app.js": [
        "eval(userInput);",
        "const f = new Function('a', body);",
        "exec(`git checkout ${branch}`);",
        'db.query("SELECT * FROM users WHERE id = " + id);',
        "db.query(`SELECT * FROM t WHERE a = ${a}`);",
        "crypto.createHash('md5').update(password);",
        "execFile('git', ['checkout', branch]);",
        'db.query("SELECT * FROM users WHERE id = $1", [id]);',
        "const evaluate = retrieval(x);",
      ].join("\n"),
      "job.py": [
        "data = pickle.loads(blob)",
        "cfg = yaml.load(text, Loader=yaml.SafeLoader)",
        "subprocess.run(cmd, shell=True)",
        'cursor.execute(f"SELECT * FROM t WHERE a = {a}")',
        "cursor.execute('SELECT * FROM t WHERE a = %s', (a,))",
        "hashlib.sha256(data)",
      ].join("\n"),
    });
    assert.deepEqual(found.sort(), [
      "app.js:1:sink/eval",
      "app.js:2:sink/eval",
      "app.js:3:sink/shell-command-from-string",
      "app.js:4:sink/sql-from-string",
      "app.js:5:sink/sql-from-string",
      "app.js:6:crypto/weak-hash",
      "job.py:1:sink/unsafe-deserialization",
      "job.py:3:sink/shell-command-from-string",
      "job.py:4:sink/sql-from-string",
    ]);
  });

  it("honours suppression comments and the workspace's config file", async () => {
    const { found, result } = await scan({
      "a.js": `eval(x); // rune-ignore\n// rune-ignore-next-line\neval(y);\neval(z); // rune-ignore[secret/jwt]\n`,
      "fixtures/keys.txt": `${KEY_HEADER}\n`,
      "vendor/lib.js": "eval(code);\n",
      ".rune/security.json": JSON.stringify({
        suppress: [{ rule: "secret/private-key", path: "fixtures/**" }],
        ignorePaths: ["vendor/**"],
      }),
    });
    assert.deepEqual(found, ["a.js:4:sink/eval"]);
    assert.equal(result.suppressedByConfig, 1);
  });

  it("filters by rule and severity, skips binary files, and caps findings", async () => {
    const files = {
      "a.js": `eval(a);\nconst k = "${AWS_ID}";\ncreateHash("sha1");\n`,
      "b.bin": Buffer.concat([Buffer.from(AWS_ID), Buffer.alloc(4)]),
    };
    assert.deepEqual((await scan(files, { rules: ["secret/"] })).found, ["a.js:2:secret/aws-access-key-id"]);
    const severe = await scan(files, { minSeverity: "warning" });
    assert.deepEqual(severe.found.sort(), ["a.js:1:sink/eval", "a.js:2:secret/aws-access-key-id"]);
    assert.equal(severe.result.stats.skippedBinary, 1);
    const capped = await scan(files, { maxFindings: 1 });
    assert.deepEqual([capped.result.findings.length, capped.result.partial], [1, true]);
  });

  it("writes SARIF 2.1.0 with rules, levels and UTF-16 regions relative to the root", async () => {
    const { root, result } = await scan({ "src/x.js": `  eval(a)\n` });
    const sarif = toSarif(result.findings, root, "1.0.0") as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        columnKind: string;
        results: Record<string, unknown>[];
      }[];
    };
    assert.equal(sarif.version, "2.1.0");
    const run = sarif.runs[0];
    assert.deepEqual(
      run?.tool.driver.rules.map((r) => r.id),
      ["sink/eval"],
    );
    assert.equal(run?.columnKind, "utf16CodeUnits");
    assert.deepEqual(run?.results[0]?.locations, [
      {
        physicalLocation: {
          artifactLocation: { uri: "src/x.js", uriBaseId: "WORKSPACE" },
          region: { startLine: 1, startColumn: 3, endLine: 1, endColumn: 7, snippet: { text: "  eval(a)" } },
        },
      },
    ]);
  });

  it("scores random tokens above words, and knows placeholders", () => {
    assert.ok(entropy("Xk9#mP2$vL7qR4wZ") > 3.5);
    assert.ok(entropy("passwordpassword") < 3);
    for (const value of ["changeme", "${TOKEN}", "<your-token>", "xxxxxxxx", "process.env.KEY"]) {
      assert.ok(isPlaceholder(value), value);
    }
  });
});
