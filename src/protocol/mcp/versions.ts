/**
 * The MCP revisions Rune speaks, newest first. Negotiation follows the spec: a client asking for a
 * version listed here gets it; any other request is answered with the newest one, and the client
 * decides whether to go on.
 */
export const SUPPORTED_PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"] as const;

/**
 * Stateless revisions: no initialize, no session; every request carries its protocol version,
 * client capabilities and client info in `_meta` (2026-07-28, SEP-2575).
 */
export const STATELESS_PROTOCOL_VERSIONS = ["2026-07-28"] as const;

export type StatefulProtocolVersion = (typeof SUPPORTED_PROTOCOL_VERSIONS)[number];
export type ProtocolVersion = StatefulProtocolVersion | (typeof STATELESS_PROTOCOL_VERSIONS)[number];

export function isStatelessVersion(
  version: unknown,
): version is (typeof STATELESS_PROTOCOL_VERSIONS)[number] {
  return (STATELESS_PROTOCOL_VERSIONS as readonly unknown[]).includes(version);
}

/** Every revision, newest first, as server/discover announces them. */
export const ALL_PROTOCOL_VERSIONS: readonly ProtocolVersion[] = [
  ...STATELESS_PROTOCOL_VERSIONS,
  ...SUPPORTED_PROTOCOL_VERSIONS,
];

/** The newest revision negotiated through initialize. */
export const LATEST_PROTOCOL_VERSION: StatefulProtocolVersion = SUPPORTED_PROTOCOL_VERSIONS[0];

/** Whether `version` is a revision negotiated through initialize. */
export function isSupportedVersion(version: unknown): version is StatefulProtocolVersion {
  return (SUPPORTED_PROTOCOL_VERSIONS as readonly unknown[]).includes(version);
}

/** What differs between revisions, in one place so handlers ask about a feature, not a date. */
export interface RevisionFeatures {
  /** JSON-RPC batches: added in 2025-03-26, removed again in 2025-06-18. */
  batches: boolean;
  /** Tool input that fails its schema is a tool error (isError) rather than -32602 (2025-11-25, SEP-1303). */
  inputErrorsAsToolResults: boolean;
  /** Tools may declare outputSchema and return structuredContent (2025-06-18). */
  structuredContent: boolean;
  /**
   * Stateless (2026-07-28): `_meta` per request, results tagged with resultType, caching hints on
   * lists and reads, unknown resources answered with -32602, no server-to-client requests.
   */
  stateless: boolean;
}

const FEATURES: Record<ProtocolVersion, RevisionFeatures> = {
  "2024-11-05": {
    batches: true,
    inputErrorsAsToolResults: false,
    structuredContent: false,
    stateless: false,
  },
  "2025-03-26": {
    batches: true,
    inputErrorsAsToolResults: false,
    structuredContent: false,
    stateless: false,
  },
  "2025-06-18": {
    batches: false,
    inputErrorsAsToolResults: false,
    structuredContent: true,
    stateless: false,
  },
  "2025-11-25": { batches: false, inputErrorsAsToolResults: true, structuredContent: true, stateless: false },
  "2026-07-28": { batches: false, inputErrorsAsToolResults: true, structuredContent: true, stateless: true },
};

export function featuresOf(version: ProtocolVersion): RevisionFeatures {
  return FEATURES[version];
}
