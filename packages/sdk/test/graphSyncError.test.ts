// The error class itself: a real Error with name, stack and cause; a guard that also recognises a
// copy from another installed version; safe JSON and inspect output.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { inspect } from "node:util";
import { expect, test } from "vitest";
import { GraphSyncError, isGraphSyncError, SDK_VERSION } from "@graph-sync/sdk";

test("a real Error: instanceof, name, stack, cause", () => {
  const cause = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
  const error = new GraphSyncError("The connection failed.", { kind: "network", cause, attempts: 1, mayHaveBeenProcessed: true });
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe("GraphSyncError");
  expect(error.stack?.split("\n")[0]).toBe("GraphSyncError: The connection failed.");
  expect(error.stack).toMatch(/\n\s+at /);
  expect(error.cause).toBeInstanceOf(Error);
  expect((error.cause as Error).message).toBe("socket hang up");
  expect((error.cause as Error & { code: string }).code).toBe("ECONNRESET");
  expect(error).toMatchObject({ kind: "network", attempts: 1, mayHaveBeenProcessed: true, issues: [] });
  expect(Object.isFrozen(error.issues)).toBe(true);
});

test("isGraphSyncError: instances, and look-alikes from another copy of the SDK; nothing else", () => {
  const foreign = Object.assign(new Error("x"), { name: "GraphSyncError", kind: "throttled" });
  expect(isGraphSyncError(new GraphSyncError("x", { kind: "service" }))).toBe(true);
  expect(isGraphSyncError(foreign)).toBe(true);
  expect(isGraphSyncError(new Error("x"))).toBe(false);
  expect(isGraphSyncError({ name: "GraphSyncError", kind: "service", message: "not an Error" })).toBe(false);
  expect(isGraphSyncError(undefined)).toBe(false);
});

test("inspect shows the fields and the cause, like toJSON", () => {
  const error = new GraphSyncError("Denied.", {
    kind: "permission",
    status: 403,
    code: "Authorization_RequestDenied",
    requestId: "req-1",
    date: new Date("2026-11-23T10:00:00Z"),
    cause: new Error("inner"),
  });
  const shown = inspect(error, { colors: false });
  expect(shown).toMatch(/^GraphSyncError: Denied\.\n\s+at /);
  expect(shown).toContain("kind: 'permission'");
  expect(shown).toContain("status: 403");
  expect(shown).toContain("date: '2026-11-23T10:00:00.000Z'");
  expect(shown).toContain("[cause]: { name: 'Error', message: 'inner' }");
  expect(error.toJSON()).toEqual({
    name: "GraphSyncError",
    kind: "permission",
    message: "Denied.",
    status: 403,
    code: "Authorization_RequestDenied",
    requestId: "req-1",
    date: "2026-11-23T10:00:00.000Z",
    attempts: 0,
    mayHaveBeenProcessed: false,
    cause: { name: "Error", message: "inner" },
  });
});

test("validation issues travel with the error", () => {
  const error = new GraphSyncError("Invalid.", { kind: "validation", issues: [{ path: "credentials", message: "is empty" }] });
  expect(error.toJSON().issues).toEqual([{ path: "credentials", message: "is empty" }]);
});

test("SDK_VERSION matches package.json", async () => {
  const manifest = JSON.parse(await readFile(join(import.meta.dirname, "../package.json"), "utf8")) as { version: string };
  expect(SDK_VERSION).toBe(manifest.version);
});
