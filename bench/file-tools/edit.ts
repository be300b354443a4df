/**
 * b) One edit of a large file: replace one unique line in the middle of a 10 MB file, Rune's
 * edit_file against server-filesystem's, both over stdio through the same client. Each server edits
 * its own copy of the same bytes; every call flips the line between two states of equal length,
 * so each edit is the same work, and after every call (outside the timing) the file must be
 * byte-for-byte what the edit should have made.
 */
import { createHash } from "node:crypto";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { alternate } from "../lib/alternate.js";
import { fmt, printInfo, printRatio, printTable } from "../lib/report.js";
import { sized } from "../lib/scale.js";
import { median } from "../lib/stats.js";
import { writeLargeFile } from "../lib/text-corpus.js";
import {
  FILESYSTEM,
  offers,
  type Peer,
  RUNE,
  structured,
  timedCall,
  withRuneAndFilesystem,
} from "./peers.js";

const MEGABYTES = sized("RUNE_BENCH_EDIT_MB", 10, 2);
const ROUNDS = sized("RUNE_BENCH_ROUNDS", 5, 2);
const marker = (state: "a" | "b"): string =>
  `  const benchmarkMarker = "state-${state}"; // the line edit_file flips`;

interface Contender {
  name: string;
  peer: Peer;
  path: string;
  /** The state the file is in now; each call flips it. */
  state: "a" | "b";
}

export async function editLargeFile(root: string): Promise<void> {
  const bytes = MEGABYTES * 1_000_000;
  const first = join(root, `edit-${RUNE}.ts`);
  const file = writeLargeFile(first, bytes, 2, { atByte: bytes / 2, line: marker("a") });
  console.log(
    `\n-- b) one edit (replace line ${file.insertedAt} of ${file.lines}) in a ${fmt(file.bytes / 1e6)} MB file --`,
  );
  const second = join(root, `edit-${FILESYSTEM}.ts`);
  copyFileSync(first, second);
  const original = readFileSync(first);
  const expected = {
    a: original,
    b: Buffer.from(original.toString("utf8").replace(marker("a"), marker("b"))),
  };

  await withRuneAndFilesystem(root, async (rune, filesystem) => {
    const contenders: Contender[] = [];
    if (offers(rune, "edit_file")) contenders.push({ name: RUNE, peer: rune, path: first, state: "a" });
    contenders.push({ name: FILESYSTEM, peer: filesystem, path: second, state: "a" });

    const cpu = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
    const flip = async (c: Contender): Promise<number> => {
      const next = c.state === "a" ? "b" : "a";
      const edits = [{ oldText: marker(c.state), newText: marker(next) }];
      const { ms, cpuMs, result } = await timedCall(c.peer, "edit_file", { path: c.path, edits });
      cpu.get(c.name)?.push(cpuMs);
      const now = readFileSync(c.path);
      if (!now.equals(expected[next]))
        throw new Error(`${c.name}: the file is not what the edit should make`);
      const sha256 = structured(result).sha256;
      if (c.name === RUNE && sha256 !== createHash("sha256").update(now).digest("hex")) {
        throw new Error(`${c.name}: edit_file reported sha256 ${String(sha256)}, not the file's`);
      }
      c.state = next;
      return ms;
    };
    // One unmeasured edit and its inverse each: the first call of a path pays for code loading.
    for (const c of contenders) for (let i = 0; i < 2; i++) await flip(c);
    for (const times of cpu.values()) times.length = 0;
    const medians = await alternate(contenders, ROUNDS, flip);

    console.log(
      `${ROUNDS} alternating rounds after an unmeasured edit and its inverse each; every call is checked. ` +
        "Medians of the wall time and of the server's own CPU time.",
    );
    const rows = [["server", "ms/edit", "server CPU ms"]];
    for (const c of contenders) {
      rows.push([c.name, fmt(medians.get(c.name) ?? Number.NaN), fmt(median(cpu.get(c.name) ?? []))]);
    }
    printTable(rows);
    const runeMs = medians.get(RUNE);
    if (runeMs !== undefined) {
      const ratio = (medians.get(FILESYSTEM) ?? Number.NaN) / runeMs;
      printRatio(`edit a ${MEGABYTES} MB file: rune speedup over ${FILESYSTEM}`, ratio, { atLeast: 3 });
      const cpuRatio = median(cpu.get(FILESYSTEM) ?? []) / median(cpu.get(RUNE) ?? []);
      printInfo(
        `server CPU per edit: ${FILESYSTEM} / rune`,
        cpuRatio,
        "no target; steadier on a busy machine",
      );
    }
  });
}
