/**
 * The MCP revisions Rune speaks, newest first. Negotiation follows the spec: a client asking for a
 * version listed here gets it; any other request is answered with the newest one, and the client
 * decides whether to go on.
 */
export const SUPPORTED_PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"] as const;

export type ProtocolVersion = (typeof SUPPORTED_PROTOCOL_VERSIONS)[number];

export const LATEST_PROTOCOL_VERSION: ProtocolVersion = SUPPORTED_PROTOCOL_VERSIONS[0];

export function isSupportedVersion(version: unknown): version is ProtocolVersion {
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
}

const FEATURES: Record<ProtocolVersion, RevisionFeatures> = {
  "2024-11-05": { batches: true, inputErrorsAsToolResults: false, structuredContent: false },
  "2025-03-26": { batches: true, inputErrorsAsToolResults: false, structuredContent: false },
  "2025-06-18": { batches: false, inputErrorsAsToolResults: false, structuredContent: true },
  "2025-11-25": { batches: false, inputErrorsAsToolResults: true, structuredContent: true },
};

export function featuresOf(version: ProtocolVersion): RevisionFeatures {
  return FEATURES[version];
}
