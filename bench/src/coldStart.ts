// Cold start: a fresh process that loads one contender, logs in for real against the emulated
// Entra ID (where the contender authenticates) and makes one call. The parent times it from spawn
// to the line this prints. argv[2]: a JSON file with { contender, setup, job }.
import { readFile } from "node:fs/promises";
import { createContenderCall, type ContenderName, type ContenderSetup } from "./contenders.ts";
import type { Job } from "./load.ts";

const { contender, setup, job } = JSON.parse(await readFile(process.argv[2]!, "utf8")) as {
  contender: ContenderName;
  setup: ContenderSetup;
  job: Job;
};
const call = await createContenderCall(contender, setup);
await call(job.servicePrincipalId, job.authorizationCode);
process.stdout.write("answered\n");
process.exit(0);
