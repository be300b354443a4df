import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** An HTTP-level refusal: status, a JSON-RPC error message, and extra headers. */
export class HttpRefusal extends Error {
  override readonly name = "HttpRefusal";
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** The JSON-RPC error code and request id to answer with, when they are known. */
    readonly rpc?: { code: number; id: string | number | null },
  ) {
    super(message);
  }
}

export interface GuardOptions {
  /** Host names (without port) a request may be addressed to; DNS rebinding defence. */
  allowedHosts: ReadonlySet<string>;
  /** Origins (scheme://host[:port]) a browser request may come from; loopback origins by default. */
  allowedOrigins: ReadonlySet<string> | "loopback";
  /** The bearer token every request must carry; undefined disables authentication. */
  token: Secret | undefined;
  /** Added to WWW-Authenticate so OAuth clients can find the authorization server (RFC 9728). */
  resourceMetadataUrl: string | undefined;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** The host names a loopback server answers to. */
export function loopbackHosts(): Set<string> {
  return new Set(LOOPBACK_HOSTS);
}

export function isLoopbackAddress(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The host name of a Host header, without its port; brackets kept for IPv6. */
function hostName(header: string): string {
  if (header.startsWith("[")) {
    const end = header.indexOf("]");
    return end === -1 ? header : header.slice(0, end + 1).toLowerCase();
  }
  const colon = header.indexOf(":");
  return (colon === -1 ? header : header.slice(0, colon)).toLowerCase();
}

function originAllowed(origin: string, allowed: GuardOptions["allowedOrigins"]): boolean {
  if (allowed !== "loopback") return allowed.has(origin);
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && isLoopbackAddress(url.hostname);
}

/**
 * A secret kept as its SHA-256 digest and compared in constant time: hashing both sides means
 * neither the length nor any prefix of the secret leaks through timing, and the digest is made
 * once, not on every request.
 */
export class Secret {
  private readonly digest: Buffer;

  constructor(readonly value: string) {
    this.digest = createHash("sha256").update(value).digest();
  }

  matches(given: string): boolean {
    return timingSafeEqual(createHash("sha256").update(given).digest(), this.digest);
  }
}

/**
 * Checks Host, Origin and the bearer token of a request, in that order, and throws the refusal
 * that fits. Runs before the body is read, so a refused request costs almost nothing.
 */
export function guardRequest(req: IncomingMessage, options: GuardOptions): void {
  const host = req.headers.host;
  if (!host || !options.allowedHosts.has(hostName(host))) {
    throw new HttpRefusal(
      403,
      `Forbidden: Host header ${JSON.stringify(host ?? "")} is not allowed (DNS rebinding protection)`,
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !originAllowed(origin, options.allowedOrigins)) {
    throw new HttpRefusal(403, `Forbidden: Origin ${JSON.stringify(origin)} is not allowed`);
  }
  if (options.token === undefined) return;
  const header = req.headers.authorization;
  const challenge = options.resourceMetadataUrl
    ? `Bearer realm="rune", resource_metadata="${options.resourceMetadataUrl}"`
    : 'Bearer realm="rune"';
  if (!header?.startsWith("Bearer ")) {
    throw new HttpRefusal(401, "Unauthorized: send Authorization: Bearer <token>", {
      "www-authenticate": challenge,
    });
  }
  if (!options.token.matches(header.slice(7).trim())) {
    throw new HttpRefusal(401, "Unauthorized: the bearer token is not valid", {
      "www-authenticate": `${challenge}, error="invalid_token"`,
    });
  }
}

/**
 * Reads a request body up to `maxBytes` and calls `done` once, with the body or the error; a larger
 * one is refused with 413 without reading it all. A callback rather than a promise: this runs on
 * every POST, and the body nearly always comes as one chunk, so neither an array nor a copy is made.
 */
export function readBody(
  req: IncomingMessage,
  maxBytes: number,
  done: (error: Error | undefined, body: string) => void,
): void {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    done(tooLarge(maxBytes), "");
    return;
  }
  let first: Buffer | undefined;
  let rest: Buffer[] | undefined;
  let size = 0;
  let settled = false;
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size > maxBytes) {
      req.off("data", onData);
      req.resume();
      settled = true;
      done(tooLarge(maxBytes), "");
      return;
    }
    if (first === undefined) first = chunk;
    else {
      rest ??= [first];
      rest.push(chunk);
    }
  };
  req.on("data", onData);
  req.on("end", () => {
    if (settled) return;
    settled = true;
    const body = rest ? Buffer.concat(rest, size) : first;
    done(undefined, body === undefined ? "" : body.toString("utf8"));
  });
  req.on("error", (error: Error) => {
    if (settled) return;
    settled = true;
    done(error, "");
  });
}

function tooLarge(maxBytes: number): HttpRefusal {
  return new HttpRefusal(413, `Payload Too Large: the body exceeds the limit of ${maxBytes} bytes`);
}
