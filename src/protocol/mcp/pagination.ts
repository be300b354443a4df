import { ProtocolError } from "../jsonrpc/errors.js";

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * Cursor pagination over a list that is snapshotted per call. The cursor is opaque to clients
 * (base64url of "<list>:<offset>") and names its list, so a cursor from tools/list handed to
 * prompts/list is refused rather than silently misread.
 */
export function paginate<T>(list: string, all: readonly T[], cursor: unknown, pageSize: number): Page<T> {
  let offset = 0;
  if (cursor !== undefined) {
    offset = decodeCursor(list, cursor, all.length);
  }
  const end = Math.min(offset + pageSize, all.length);
  const items = all.slice(offset, end);
  return end < all.length ? { items, nextCursor: encodeCursor(list, end) } : { items };
}

function encodeCursor(list: string, offset: number): string {
  return Buffer.from(`${list}:${offset}`).toString("base64url");
}

function decodeCursor(list: string, cursor: unknown, length: number): number {
  if (typeof cursor !== "string") {
    throw ProtocolError.invalidParams(
      `Invalid cursor: expected the string nextCursor from a previous ${list} call`,
    );
  }
  const decoded = Buffer.from(cursor, "base64url").toString("utf8");
  const colon = decoded.lastIndexOf(":");
  const offset = Number(decoded.slice(colon + 1));
  if (
    colon < 0 ||
    decoded.slice(0, colon) !== list ||
    !Number.isInteger(offset) ||
    offset < 0 ||
    offset > length
  ) {
    throw ProtocolError.invalidParams(
      `Invalid cursor ${JSON.stringify(cursor.slice(0, 64))} for ${list}: pass a nextCursor returned by ${list}, or no cursor for the first page`,
    );
  }
  return offset;
}
