import { createHmac, timingSafeEqual } from "node:crypto";
import { ProtocolError } from "../jsonrpc/errors.js";
import type { JsonObject } from "./types.js";

/** One request a server makes of the client inside an input-required result. */
export interface InputRequest {
  method: string;
  params: JsonObject;
}

/** Methods on which a stateless server may answer "input required" (SEP-2322). */
export const INPUT_CAPABLE_METHODS: ReadonlySet<string> = new Set([
  "tools/call",
  "prompts/get",
  "resources/read",
]);

/**
 * Signs and checks `requestState`: the answers a client already gave travel back and forth with
 * the request, so the server stays stateless, and an HMAC makes a tampered state detectable.
 */
export class RequestStateCodec {
  constructor(private readonly secret: Buffer) {}

  encode(responses: Record<string, JsonObject>): string {
    const body = Buffer.from(JSON.stringify(responses)).toString("base64url");
    return `${body}.${this.sign(body)}`;
  }

  decode(state: unknown): Record<string, JsonObject> {
    const invalid = (): ProtocolError =>
      ProtocolError.invalidParams(
        "Invalid params: requestState failed its integrity check; send it back unchanged",
      );
    if (typeof state !== "string") throw invalid();
    const dot = state.lastIndexOf(".");
    const body = state.slice(0, dot);
    const given = Buffer.from(state.slice(dot + 1), "base64url");
    const expected = Buffer.from(this.sign(body), "base64url");
    if (dot < 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    return JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Record<string, JsonObject>;
  }

  private sign(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest("base64url");
  }
}

/**
 * The input side of one stateless request (SEP-2322, "multi round-trip requests"). A handler asks
 * the client for something (sampling, elicitation, roots) exactly as in a stateful session; if the
 * answer came with this request it is returned, otherwise the request is noted and the handler is
 * left waiting. Once the handler has asked for everything it can ask for without answers, the
 * request is answered with an input-required result, and the client calls again with the answers.
 */
export class InputRound {
  readonly requests: Record<string, InputRequest> = {};
  private counter = 0;
  private stalledResolve: (() => void) | undefined;
  /** Settles when the handler is waiting on input the client has not given yet. */
  readonly stalled: Promise<void>;

  constructor(readonly answers: Record<string, JsonObject>) {
    this.stalled = new Promise((resolve) => {
      this.stalledResolve = resolve;
    });
  }

  get pending(): boolean {
    return Object.keys(this.requests).length > 0;
  }

  /** The answer for `key`, or a promise that stays pending while the client is asked. */
  ask(method: string, params: JsonObject, key?: string): Promise<JsonObject> {
    const name = key ?? `${method.replace(/\W+/g, "_")}_${this.counter++}`;
    const answer = this.answers[name];
    if (answer !== undefined) return Promise.resolve(answer);
    this.requests[name] = { method, params };
    // Let the handler ask for everything else it can first (parallel asks), then answer.
    setImmediate(() => this.stalledResolve?.());
    return new Promise(() => {});
  }
}

/** Reads `inputResponses` and `requestState` from a request's params into the answers so far. */
export function answersOf(params: JsonObject, codec: RequestStateCodec): Record<string, JsonObject> {
  const answers = params.requestState === undefined ? {} : codec.decode(params.requestState);
  const responses = params.inputResponses;
  if (responses === undefined) return answers;
  if (typeof responses !== "object" || responses === null || Array.isArray(responses)) {
    throw ProtocolError.invalidParams(
      "Invalid params: inputResponses must be an object keyed by input request",
    );
  }
  for (const [key, value] of Object.entries(responses)) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw ProtocolError.invalidParams(`Invalid params: inputResponses["${key}"] must be an object`);
    }
    answers[key] = value as JsonObject;
  }
  return answers;
}
