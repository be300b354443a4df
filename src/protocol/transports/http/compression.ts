import type { IncomingMessage, ServerResponse } from "node:http";
import * as zlib from "node:zlib";

/** A content coding Rune can send. */
export type ContentEncoding = "br" | "zstd" | "gzip" | "identity";

/** Bodies smaller than this go out as they are: compressing them costs more than it saves. */
export const COMPRESS_MIN_BYTES = 1024;

type ZstdFn = (buf: Buffer, cb: (error: Error | null, out: Buffer) => void) => void;
/** zlib.zstdCompress exists from Node 22.15 / 23.8; Rune runs on 20 too, so it is looked up. */
const zstdCompress = (zlib as unknown as { zstdCompress?: ZstdFn }).zstdCompress;

/** The codings this Node offers, in the order preferred when the client weighs them equally. */
export const SUPPORTED_ENCODINGS: readonly ContentEncoding[] = zstdCompress
  ? ["br", "zstd", "gzip"]
  : ["br", "gzip"];

const negotiated = new Map<string, ContentEncoding>();

/**
 * The coding to answer with, from an Accept-Encoding header (RFC 9110 §12.5.3): the supported
 * coding with the highest q-value, ties going to the better ratio; q=0 refuses a coding; `*` covers
 * codings not named; identity when nothing else is acceptable. Clients send the same few headers
 * over and over, so answers are remembered (boundedly).
 */
export function negotiateEncoding(header: string | undefined): ContentEncoding {
  if (header === undefined || header === "") return "identity";
  const known = negotiated.get(header);
  if (known !== undefined) return known;
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    if (name === "") continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split("=");
      if (key === "q" && value !== undefined) {
        const n = Number(value);
        q = Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
      }
    }
    weights.set(name === "x-gzip" ? "gzip" : name, q);
  }
  const star = weights.get("*");
  let best: ContentEncoding = "identity";
  let bestQ = 0;
  for (const coding of SUPPORTED_ENCODINGS) {
    const q = weights.get(coding) ?? star ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  if (negotiated.size < 64) negotiated.set(header, best);
  return best;
}

/**
 * Compresses `body` off the event loop's critical path (zlib's thread pool). Levels are chosen for
 * dynamic content: brotli 11 would take seconds on a few MB of JSON; 5 compresses nearly as well.
 */
export function compress(
  encoding: Exclude<ContentEncoding, "identity">,
  body: Buffer,
  done: (error: Error | null, out: Buffer) => void,
): void {
  switch (encoding) {
    case "gzip":
      zlib.gzip(body, { level: 5 }, done);
      return;
    case "br":
      zlib.brotliCompress(
        body,
        {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        },
        done,
      );
      return;
    case "zstd":
      if (!zstdCompress) throw new Error("zstd is not available in this Node");
      zstdCompress(body, done);
      return;
  }
}

/**
 * Ends `res` with `body`, compressed as the request's Accept-Encoding allows when it is at least
 * `minBytes` long. `headers` is the flat [name, value, ...] list writeHead takes. Compressible
 * answers carry `Vary: Accept-Encoding` whichever coding was chosen.
 */
export function sendNegotiated(
  req: IncomingMessage | string | undefined,
  res: ServerResponse,
  status: number,
  headers: string[],
  body: string | Buffer,
  minBytes = COMPRESS_MIN_BYTES,
): void {
  const header = typeof req === "string" || req === undefined ? req : req.headers["accept-encoding"];
  const bytes = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  if (bytes < minBytes) {
    res.writeHead(status, [...headers, "content-length", String(bytes)]);
    res.end(body);
    return;
  }
  const encoding = negotiateEncoding(header);
  if (encoding === "identity") {
    res.writeHead(status, [...headers, "vary", "accept-encoding", "content-length", String(bytes)]);
    res.end(body);
    return;
  }
  compress(encoding, typeof body === "string" ? Buffer.from(body) : body, (error, out) => {
    if (res.writableEnded || res.destroyed) return;
    if (error) {
      res.writeHead(status, [...headers, "vary", "accept-encoding", "content-length", String(bytes)]);
      res.end(body);
      return;
    }
    res.writeHead(status, [
      ...headers,
      "content-encoding",
      encoding,
      "vary",
      "accept-encoding",
      "content-length",
      String(out.length),
    ]);
    res.end(out);
  });
}
