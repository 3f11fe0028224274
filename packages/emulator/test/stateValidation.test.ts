// A saved state.json that is damaged or edited into a wrong shape is refused at start, with a message
// that names the file and the field and quotes nothing of it (it holds client secrets).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../src/index.js";
import type { EmulatorStateDocument } from "../src/state/model.js";
import { runCli } from "./support/cliProcess.js";
import { rejectionOf } from "@graph-sync/test-support";

const scratch = mkdtempSync(join(tmpdir(), "emulator-state-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The state file an emulator wrote for the demo tenant, as text and parsed. */
let savedText: string;
let saved: EmulatorStateDocument;
/** Every secret value in it: none may appear in a message, not even in part. */
let secrets: string[];

beforeAll(async () => {
  const dataDir = join(scratch, "original");
  await (await startEmulator({ dataDir })).close();
  savedText = readFileSync(join(dataDir, "state.json"), "utf8");
  saved = JSON.parse(savedText) as EmulatorStateDocument;
  secrets = [...saved.clientApplications.flatMap((app) => app.secrets.map((secret) => secret.value)), ...saved.targetClients.map((client) => client.clientSecret)];
});

let caseCount = 0;
/** Starts an emulator on a data directory holding `stateText`; resolves to the error it refused with. */
async function refusalFor(stateText: string): Promise<{ message: string; path: string }> {
  const dataDir = join(scratch, `case-${(caseCount += 1)}`);
  mkdirSync(dataDir);
  const path = join(dataDir, "state.json");
  writeFileSync(path, stateText);
  const error = await rejectionOf(startEmulator({ dataDir }));
  for (const secret of secrets) {
    for (let start = 0; start + 6 <= secret.length; start += 1) expect(error.message).not.toContain(secret.slice(start, start + 6));
  }
  return { message: error.message, path };
}

const edited = (edit: (document: Record<string, unknown>) => void): string => {
  const document = structuredClone(saved) as unknown as Record<string, unknown>;
  edit(document);
  return JSON.stringify(document);
};

describe("a state.json that is not valid JSON", () => {
  it("is refused with the position of the error, not the text around it", async () => {
    // A quote lost right before a client secret: the parser's own message would quote the secret.
    const secret = saved.clientApplications[0]!.secrets[0]!.value;
    const damaged = savedText.replace(`"value":"${secret}"`, `"value":${secret}"`);
    const { message, path } = await refusalFor(damaged);
    // V8 gives a position for some errors only; the message never quotes the text.
    expect(message).toMatch(new RegExp(`^${escape(path)} is not valid JSON( \\(error at character \\d+\\))?\\. Repair it, or move it away to start with a new state\\.$`));
  });

  it("is refused when cut off half-way (a disk that filled up under another tool)", async () => {
    const { message, path } = await refusalFor(savedText.slice(0, Math.floor(savedText.length / 2)));
    expect(message).toMatch(new RegExp(`^${escape(path)} is not valid JSON`));
  });
});

describe("a state.json of the wrong shape", () => {
  const cases: Array<[string, (document: Record<string, unknown>) => void, string]> = [
    ["a list that is an object", (document) => (document["tenants"] = {}), "state/tenants must be array"],
    [
      "a record without a field the emulator reads",
      (document) => delete (document["tenants"] as Array<Record<string, unknown>>)[0]!["domains"],
      "state/tenants/0 must have required property 'domains'",
    ],
    [
      "a secret of the wrong type",
      (document) => ((document["clientApplications"] as Array<{ secrets: Array<Record<string, unknown>> }>)[0]!.secrets[0]!["value"] = 42),
      "state/clientApplications/0/secrets/0/value must be string",
    ],
    [
      "a field the model does not have (it would be dropped at the next write)",
      (document) => ((document["targetClients"] as Array<Record<string, unknown>>)[0]!["secretNote"] = "x018Q~notes"),
      "state/targetClients/0 must NOT have additional properties",
    ],
    ["an unknown kind of object", (document) => ((document["synchronizationObjects"] as Array<Record<string, unknown>>)[0]!["kind"] = "group"), "state/synchronizationObjects/0/kind must be equal to one of the allowed values"],
    ["no format version", (document) => delete document["formatVersion"], "state must have required property 'formatVersion'"],
    ["a later format version", (document) => (document["formatVersion"] = 2), "it has format version 2; this emulator reads version 1"],
  ];
  it.each(cases)("is refused: %s", async (_name, edit, problem) => {
    const { message, path } = await refusalFor(edited(edit));
    expect(message).toBe(`${path} is not a valid emulator state: ${problem}. Repair it, or move it away to start with a new state.`);
  });

  it.each([["null"], ["[]"], ['"state"']])("is refused when the whole document is %s", async (text) => {
    const { message } = await refusalFor(text);
    expect(message).toMatch(/is not a valid emulator state: state must be object\./);
  });
});

describe("the command line", () => {
  it("exits 1 with the message on stderr, and no secret", async () => {
    const dataDir = join(scratch, "cli");
    mkdirSync(dataDir);
    const secret = saved.clientApplications[0]!.secrets[0]!.value;
    writeFileSync(join(dataDir, "state.json"), savedText.replace(`"value":"${secret}"`, `"value":${secret}"`));
    const result = await runCli(["--port", "0", "--data", dataDir]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`graph-sync-emulator: ${join(dataDir, "state.json")} is not valid JSON`);
    expect(result.stderr).not.toContain(secret.slice(0, 6));
    expect(result.stdout).toBe("");
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
