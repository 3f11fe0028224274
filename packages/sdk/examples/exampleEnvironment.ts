// Shared by the examples: read a required environment variable, or stop with a clear message.
// The examples read everything from the environment so the same files run against your tenant
// and, in the tests, against the local emulator.
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`Set ${name} to run this example (see examples/README.md).`);
    process.exit(2);
  }
  return value;
}

/** Graph root to call instead of the cloud's: the emulator in the tests, unset for a real tenant. */
export const graphUrl: string | undefined = process.env["GRAPH_SYNC_GRAPH_URL"] || undefined;
