// The emulator process against what happens around it: the reader of its log going away, and other
// emulators starting on the same data directory at the same moment. Real processes throughout.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { AdminClient } from "../src/index.js";
import { startCli } from "./support/cliProcess.js";
import { send } from "./support/httpClient.js";
import { testBuildDirectory } from "./support/testBuild.js";

const scratch = mkdtempSync(join(tmpdir(), "emulator-process-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const lockTrials = 40;
const contenders = 4;
const contenderScript = fileURLToPath(new URL("./support/lockContender.mjs", import.meta.url));
const lockModule = pathToFileURL(join(testBuildDirectory, "state", "dataDirectoryLock.js")).href;

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

describe("emulators started together on a data directory with a stale lock", () => {
  it(`lets exactly one take it: ${lockTrials} trials of ${contenders} processes`, async () => {
    const deadPid = await pidOfAnExitedProcess();
    const directories = Array.from({ length: lockTrials }, (_, trial) => {
      const directory = join(scratch, `stale-lock-${trial}`);
      mkdirSync(directory);
      writeFileSync(join(directory, "emulator.lock"), String(deadPid));
      return directory;
    });
    const answersByContender = await contend(directories, contenders);
    const outcomes = directories.map((_, trial) => answersByContender.map((answers) => answers[trial]!));
    const trialsWithTwoHolders = outcomes.filter((answers) => answers.filter((answer) => answer === "held").length > 1).length;
    const trialsWithNoHolder = outcomes.filter((answers) => !answers.includes("held")).length;
    expect({ trialsWithTwoHolders, trialsWithNoHolder }).toEqual({ trialsWithTwoHolders: 0, trialsWithNoHolder: 0 });
    // The others are told who holds it.
    for (const answer of outcomes.flat().filter((answer) => answer !== "held")) {
      expect(answer).toMatch(/^refused: The data directory .* is in use by another emulator \(process \d+\)\.$/);
    }
  });

  it("runs one emulator, whose acknowledged writes are all there after a restart: 0 lost", async () => {
    const dataDir = join(scratch, "stale-lock-cli");
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, "emulator.lock"), String(await pidOfAnExitedProcess()));
    const started = await Promise.allSettled([startCli(["--port", "0", "--quiet", "--data", dataDir]), startCli(["--port", "0", "--quiet", "--data", dataDir])]);
    const running = started.filter((outcome) => outcome.status === "fulfilled").map((outcome) => outcome.value);
    const refused = started.filter((outcome) => outcome.status === "rejected").map((outcome) => String(outcome.reason));
    const acknowledged: string[] = [];
    try {
      expect(running).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatch(/the CLI exited \(1\) before printing its JSON line; stderr: graph-sync-emulator: The data directory .* is in use by another emulator/);

      const admin = new AdminClient(running[0]!.facts.adminUrl);
      for (let write = 0; write < 10; write += 1) acknowledged.push((await admin.seed({ tenants: [{}] })).tenants[0]!.id);
      expect(await running[0]!.stop()).toBe(0);
    } finally {
      // A failed expectation above must not leave an emulator running after the test.
      await Promise.all(running.map((emulator) => emulator.stop()));
    }

    const restarted = await startCli(["--port", "0", "--quiet", "--data", dataDir]);
    try {
      const tenantIds = new Set((await new AdminClient(restarted.facts.adminUrl).state()).tenants.map((tenant) => tenant.id));
      const lost = acknowledged.filter((id) => !tenantIds.has(id));
      expect(lost).toEqual([]);
    } finally {
      await restarted.stop();
    }
  });
});

/** A pid that no process has any more: the kind a killed emulator leaves in its lock file. */
function pidOfAnExitedProcess(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  return new Promise((resolve) => child.once("exit", () => resolve(child.pid!)));
}

/** Runs `count` contender processes over `directories`, a round per directory; each one's answers. */
async function contend(directories: string[], count: number): Promise<string[][]> {
  const gapInMs = 50;
  // Late enough for every process to have loaded the module.
  const startAt = Date.now() + 1_500;
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, [contenderScript, lockModule, String(startAt), String(gapInMs), ...directories], {
      stdio: ["pipe", "pipe", "inherit"],
    }),
  );
  const answers = await Promise.all(
    children.map(
      (child) =>
        new Promise<string[]>((resolve, reject) => {
          let output = "";
          const timer = setTimeout(() => reject(new Error(`a contender did not answer: ${output}`)), 20_000);
          child.stdout.on("data", (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes("\n")) {
              clearTimeout(timer);
              resolve(JSON.parse(output) as string[]);
            }
          });
        }),
    ),
  );
  // Release, and wait until every contender has exited.
  await Promise.all(
    children.map((child) => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin.end();
      return exited;
    }),
  );
  return answers;
}
