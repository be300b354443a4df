/**
 * The stdin loop of the bare servers: newline-delimited JSON in, every answer to one chunk of
 * input written at once, exit when stdin ends.
 */
export function serveLines(answer: (line: string) => string): void {
  let buffered = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk: string) => {
    const lines = (buffered + chunk).split("\n");
    buffered = lines.pop() ?? "";
    const out = lines.map(answer).join("");
    if (out) process.stdout.write(out);
  });
  process.stdin.on("end", () => process.exit(0));
}
