import { pathToFileURL } from "node:url";
import { type Engine, EngineError } from "../../engine/index.js";
import { ProtocolError } from "../../protocol/jsonrpc/errors.js";
import { resourceNotFound } from "../../protocol/mcp/resource-registry.js";
import type { McpServer } from "../../protocol/mcp/server.js";
import type { SessionScopes } from "../session-scopes.js";

/**
 * Workspace files as resources (`file:///...`), so a client can read them and subscribe: the
 * watcher's changes become notifications/resources/updated for every session subscribed to the
 * file's URI. Reads are bounded like read_file's; binary files are not returned.
 */
export function registerFileResources(server: McpServer, engine: Engine, scopes: SessionScopes): () => void {
  server.resources.registerTemplate({
    uriTemplate: "file:///{+path}",
    name: "workspace-file",
    title: "Workspace file",
    description: "A file in the workspace; subscribe to hear when it changes",
    mimeType: "text/plain",
    async read(uri, _variables, context) {
      try {
        const window = await (await scopes.of(context.session)).files.read(uri);
        if (window.binary) {
          throw ProtocolError.invalidParams(`${uri} is a binary file (${window.size} bytes)`);
        }
        return { contents: [{ uri, mimeType: "text/plain", text: window.content }] };
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        if (error.code === "NOT_FOUND") throw resourceNotFound(uri);
        throw ProtocolError.invalidParams(`${error.code}: ${error.message}`);
      }
    },
  });
  return engine.onChanges((changes) => {
    for (const change of changes) server.notifyResourceUpdated(pathToFileURL(change.path).href);
  });
}
