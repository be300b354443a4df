import { ErrorCode, ProtocolError } from "../jsonrpc/errors.js";
import {
  type ClientCapabilities,
  type Implementation,
  type JsonObject,
  LOGGING_LEVELS,
  type LoggingLevel,
} from "./types.js";
import { isStatelessVersion, type ProtocolVersion, STATELESS_PROTOCOL_VERSIONS } from "./versions.js";

/** The `_meta` keys of the stateless revision (2026-07-28, SEP-2575). */
export const META_KEYS = {
  protocolVersion: "io.modelcontextprotocol/protocolVersion",
  clientCapabilities: "io.modelcontextprotocol/clientCapabilities",
  clientInfo: "io.modelcontextprotocol/clientInfo",
  logLevel: "io.modelcontextprotocol/logLevel",
  serverInfo: "io.modelcontextprotocol/serverInfo",
  subscriptionId: "io.modelcontextprotocol/subscriptionId",
} as const;

/** What one stateless request says about its client, in place of initialize. */
export interface StatelessRequestMeta {
  protocolVersion: ProtocolVersion;
  clientCapabilities: ClientCapabilities;
  clientInfo: Implementation | undefined;
  /** Logs are sent only when the request asks for them. */
  logLevel: LoggingLevel | undefined;
}

/**
 * Reads and checks the `_meta` of a stateless request: version and capabilities are required
 * (-32602 otherwise), client info is optional, and the version must be a stateless one (-32022,
 * with the versions that are).
 */
export function readStatelessMeta(params: JsonObject): StatelessRequestMeta {
  const meta = params._meta;
  const record =
    typeof meta === "object" && meta !== null && !Array.isArray(meta) ? (meta as JsonObject) : undefined;
  const missing = [META_KEYS.protocolVersion, META_KEYS.clientCapabilities].filter(
    (k) => record?.[k] === undefined,
  );
  if (missing.length > 0) {
    throw ProtocolError.invalidParams(`Invalid params: missing _meta keys: ${missing.join(", ")}`);
  }
  const version = (record as JsonObject)[META_KEYS.protocolVersion];
  if (!isStatelessVersion(version)) {
    throw new ProtocolError(ErrorCode.UnsupportedProtocolVersion, "Unsupported protocol version", {
      supported: [...STATELESS_PROTOCOL_VERSIONS],
      requested: String(version),
    });
  }
  const capabilities = (record as JsonObject)[META_KEYS.clientCapabilities];
  if (typeof capabilities !== "object" || capabilities === null || Array.isArray(capabilities)) {
    throw ProtocolError.invalidParams(
      `Invalid params: _meta["${META_KEYS.clientCapabilities}"] must be an object`,
    );
  }
  const level = (record as JsonObject)[META_KEYS.logLevel];
  return {
    protocolVersion: version,
    clientCapabilities: capabilities as ClientCapabilities,
    clientInfo: (record as JsonObject)[META_KEYS.clientInfo] as Implementation | undefined,
    logLevel: (LOGGING_LEVELS as readonly unknown[]).includes(level) ? (level as LoggingLevel) : undefined,
  };
}
