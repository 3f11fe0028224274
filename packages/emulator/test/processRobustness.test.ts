// The emulator process against what happens around it: the reader of its log going away, and other
// emulators starting on the same data directory at the same moment. Real processes throughout.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AdminClient } from "../src/index.js";
import { startCli } from "./support/cliProcess.js";
import { send } from "./support/httpClient.js";

const scratch = mkdtempSync(join(tmpdir(), "emulator-process-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("a closed log stream", () => {
  it("is ignored: the emulator keeps serving, then stops cleanly and releases its data directory", async () => {
    const dataDir = join(scratch, "closed-stderr");
    const cli = await startCli(["--port", "0", "--data", dataDir]);
    // The reader of stderr goes away (a supervisor's pipe closed, `| head` exited): every log line
    // from now on is written into a closed pipe.
    cli.child.stderr.destroy();
    const admin = new AdminClient(cli.facts.adminUrl);
    for (let request = 0; request < 20; request += 1) {
      expect((await send(`${cli.facts.graphUrl}/v1.0/nowhere`)).status).toBe(400);
    }
    expect((await admin.state()).tenants.length).toBeGreaterThan(0);
    expect(cli.child.exitCode).toBeNull();
    expect(await cli.stop("SIGTERM")).toBe(0);
    expect(existsSync(join(dataDir, "emulator.lock"))).toBe(false);
  });
});
