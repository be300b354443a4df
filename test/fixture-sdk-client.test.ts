import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { PNG_BASE64 } from "./fixtures/conformance-server.js";
import { FIXTURE_MAIN } from "./helpers/paths.js";
import { type Connected, connectSdkClient } from "./helpers/sdk-client.js";

type Text = { type: string; text: string };

describe("the conformance fixture over stdio, driven by the official SDK client", () => {
  let c: Connected;
  const logs: unknown[] = [];
  const updated: string[] = [];
  let toolListChanged = 0;

  before(async () => {
    c = await connectSdkClient(process.execPath, [FIXTURE_MAIN, "--page-size", "3"], {
      sampling: {},
      elicitation: {},
      roots: { listChanged: true },
    });
    c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params.data);
    });
    c.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updated.push(n.params.uri);
    });
    c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      toolListChanged++;
    });
    c.client.setRequestHandler(CreateMessageRequestSchema, (request) => {
      const content = request.params.messages[0]?.content as Text;
      return {
        role: "assistant",
        model: "test-model",
        content: { type: "text", text: `echo ${content.text}` },
      };
    });
    c.client.setRequestHandler(ElicitRequestSchema, () => ({
      action: "accept",
      content: { username: "ada", email: "ada@example.com" },
    }));
    c.client.setRequestHandler(ListRootsRequestSchema, () => ({
      roots: [{ uri: "file:///tmp/project", name: "project" }],
    }));
  });
  after(() => c.close());

  it("pages through tools/list with nextCursor until every tool is seen once", async () => {
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await c.client.listTools(cursor ? { cursor } : {});
      assert.ok(page.tools.length <= 3);
      names.push(...page.tools.map((t) => t.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.ok(pages > 3);
    assert.equal(new Set(names).size, names.length);
    for (const expected of [
      "test_simple_text",
      "test_tool_with_progress",
      "test_sampling",
      "json_schema_2020_12_tool",
    ]) {
      assert.ok(names.includes(expected), expected);
    }
  });

  it("pages resources, templates and prompts the same way", async () => {
    const resources = await c.client.listResources();
    assert.equal(resources.resources.length, 3);
    const more = await c.client.listResources({ cursor: resources.nextCursor as string });
    assert.equal(more.nextCursor, undefined);
    const templates = await c.client.listResourceTemplates();
    assert.deepEqual(
      templates.resourceTemplates.map((t) => t.uriTemplate),
      ["test://template/{id}/data"],
    );
    const prompts = await c.client.listPrompts();
    assert.equal(prompts.prompts.length, 3);
    assert.ok(prompts.nextCursor);
  });

  it("refuses a cursor from another list with -32602", async () => {
    const page = await c.client.listTools();
    await assert.rejects(c.client.listPrompts({ cursor: page.nextCursor as string }), /Invalid cursor/);
  });

  it("returns text, image, audio, embedded and mixed content", async () => {
    const simple = await c.client.callTool({ name: "test_simple_text", arguments: {} });
    assert.deepEqual(simple.content, [{ type: "text", text: "This is a simple text response for testing." }]);
    const image = await c.client.callTool({ name: "test_image_content", arguments: {} });
    assert.deepEqual(image.content, [{ type: "image", data: PNG_BASE64, mimeType: "image/png" }]);
    const audio = (await c.client.callTool({ name: "test_audio_content", arguments: {} })).content as {
      mimeType: string;
    }[];
    assert.equal(audio[0]?.mimeType, "audio/wav");
    const mixed = (await c.client.callTool({ name: "test_multiple_content_types", arguments: {} }))
      .content as Text[];
    assert.deepEqual(
      mixed.map((b) => b.type),
      ["text", "image", "resource"],
    );
  });

  it("reports a tool's own failure as isError, not as a protocol error", async () => {
    const result = await c.client.callTool({ name: "test_error_handling", arguments: {} });
    assert.equal(result.isError, true);
  });

  it("sends progress notifications with the caller's token", async () => {
    const seen: { progress: number; total?: number }[] = [];
    const result = await c.client.callTool({ name: "test_tool_with_progress", arguments: {} }, undefined, {
      onprogress: (p) => seen.push(p),
    });
    // The SDK client drops a progress notification that arrives in the same read as the result
    // (it dispatches notifications a microtask late); the raw stdio test pins all three, in order.
    assert.deepEqual(
      seen.slice(0, 2).map((p) => [p.progress, p.total]),
      [
        [0, 100],
        [50, 100],
      ],
    );
    assert.equal((result.content as Text[])[0]?.text, "Tool with progress executed successfully");
  });

  it("sends log notifications, filtered by logging/setLevel", async () => {
    await c.client.setLoggingLevel("info");
    await c.client.callTool({ name: "test_tool_with_logging", arguments: {} });
    assert.deepEqual(logs.slice(-3), [
      "Tool execution started",
      "Tool processing data",
      "Tool execution completed",
    ]);
    await c.client.setLoggingLevel("error");
    const before = logs.length;
    await c.client.callTool({ name: "test_tool_with_logging", arguments: {} });
    assert.equal(logs.length, before);
    await assert.rejects(c.client.setLoggingLevel("loud" as "info"), /unknown level "loud"/);
  });

  it("stops a cancelled call: the work ends and no result is delivered", async () => {
    const controller = new AbortController();
    const call = c.client.callTool({ name: "test_slow_operation", arguments: { ms: 20_000 } }, undefined, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort("user changed their mind"), 100);
    await assert.rejects(call, /user changed their mind/);
    // The abort lands a tick after the notification is read; poll rather than race it.
    let cancelled = 0;
    for (let i = 0; i < 100 && cancelled === 0; i++) {
      const state = await c.client.callTool({ name: "test_fixture_state", arguments: {} });
      cancelled = (state.structuredContent as { cancelled: number }).cancelled;
      if (cancelled === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(cancelled, 1);
  });

  it("handles requests concurrently: a fast call is not held up by a slow one", async () => {
    const slow = c.client.callTool({ name: "test_slow_operation", arguments: { ms: 1500 } });
    let slowDone = false;
    void slow.then(() => {
      slowDone = true;
    });
    await c.client.callTool({ name: "test_simple_text", arguments: {} });
    assert.equal(slowDone, false);
    await slow;
  });

  it("asks the client to sample, elicit and list roots when it declared those capabilities", async () => {
    const sampled = await c.client.callTool({ name: "test_sampling", arguments: { prompt: "hello" } });
    assert.equal((sampled.content as Text[])[0]?.text, "LLM response: echo hello");
    const elicited = await c.client.callTool({
      name: "test_elicitation",
      arguments: { message: "Who are you?" },
    });
    assert.match((elicited.content as Text[])[0]?.text ?? "", /action=accept.*ada@example.com/);
    const roots = await c.client.callTool({ name: "test_list_roots", arguments: {} });
    assert.match((roots.content as Text[])[0]?.text ?? "", /file:\/\/\/tmp\/project/);
  });

  it("reads static, binary and templated resources and refuses unknown ones with -32002", async () => {
    const textRes = await c.client.readResource({ uri: "test://static-text" });
    assert.deepEqual(textRes.contents[0], {
      uri: "test://static-text",
      mimeType: "text/plain",
      text: "This is the content of the static text resource.",
    });
    const binary = await c.client.readResource({ uri: "test://static-binary" });
    assert.equal((binary.contents[0] as { blob: string }).blob, PNG_BASE64);
    const templated = await c.client.readResource({ uri: "test://template/7/data" });
    assert.deepEqual(JSON.parse((templated.contents[0] as { text: string }).text), {
      id: "7",
      templateTest: true,
      data: "Data for ID: 7",
    });
    await assert.rejects(
      c.client.readResource({ uri: "test://nothing" }),
      (e: { code?: number }) => e.code === -32002,
    );
  });

  it("notifies subscribers of resource updates, and stops after unsubscribe", async () => {
    await c.client.subscribeResource({ uri: "test://watched-resource" });
    await c.client.callTool({ name: "test_touch_watched_resource", arguments: {} });
    await c.client.ping();
    assert.deepEqual(updated, ["test://watched-resource"]);
    await c.client.unsubscribeResource({ uri: "test://watched-resource" });
    await c.client.callTool({ name: "test_touch_watched_resource", arguments: {} });
    await c.client.ping();
    assert.equal(updated.length, 1);
  });

  it("announces tools/list_changed when a tool is added", async () => {
    const before = toolListChanged;
    await c.client.callTool({ name: "test_trigger_tool_change", arguments: {} });
    await c.client.ping();
    assert.equal(toolListChanged, before + 1);
  });

  it("gets prompts with arguments and refuses a missing required argument", async () => {
    const prompt = await c.client.getPrompt({
      name: "test_prompt_with_arguments",
      arguments: { arg1: "a", arg2: "b" },
    });
    assert.equal(
      (prompt.messages[0]?.content as Text | undefined)?.text,
      "Prompt with arguments: arg1='a', arg2='b'",
    );
    await assert.rejects(
      c.client.getPrompt({ name: "test_prompt_with_arguments", arguments: { arg1: "a" } }),
      /missing required argument\(s\): arg2/,
    );
  });

  it("completes prompt arguments and template variables", async () => {
    const prompt = await c.client.complete({
      ref: { type: "ref/prompt", name: "test_prompt_with_arguments" },
      argument: { name: "arg1", value: "par" },
    });
    assert.deepEqual(prompt.completion.values, ["paris", "park", "party"]);
    const template = await c.client.complete({
      ref: { type: "ref/resource", uri: "test://template/{id}/data" },
      argument: { name: "id", value: "4" },
    });
    assert.deepEqual(template.completion.values, ["42"]);
  });

  it("turns structuredContent that breaks the outputSchema into -32603, naming the tool", async () => {
    await assert.rejects(
      c.client.callTool({ name: "test_bad_output", arguments: {} }),
      /test_bad_output returned structuredContent that does not match its outputSchema/,
    );
  });
});

describe("the conformance fixture with a client that declared nothing", () => {
  let c: Connected;
  before(async () => {
    c = await connectSdkClient(process.execPath, [FIXTURE_MAIN, "--request-timeout", "300"]);
  });
  after(() => c.close());

  it("does not send sampling to a client that did not declare it, and says so", async () => {
    const result = await c.client.callTool({ name: "test_sampling", arguments: { prompt: "hi" } });
    assert.equal(result.isError, true);
    assert.match((result.content as Text[])[0]?.text ?? "", /did not declare the "sampling" capability/);
  });

  it("answers a request that outlives its deadline with -32001 and keeps serving", async () => {
    await assert.rejects(
      c.client.callTool({ name: "test_slow_operation", arguments: { ms: 5000 } }),
      (e: { code?: number; message: string }) =>
        e.code === -32001 && /timed out after 300 ms/.test(e.message),
    );
    assert.deepEqual(await c.client.ping(), {});
  });
});
