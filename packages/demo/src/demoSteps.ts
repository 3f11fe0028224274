import { isGraphSyncError } from "@graph-sync/sdk";
import { exitCodeFor, type CliOutput } from "@graph-sync/cli";

/** Numbered, one-line steps, so the demo reads as the flow it shows. */
export class DemoSteps {
  private count = 0;

  constructor(private readonly output: CliOutput) {}

  /** Runs `action` as the next step; prints its title, then its one-line outcome. */
  async run<T>(title: string, action: () => Promise<T>, describe: (result: T) => string): Promise<T> {
    this.count += 1;
    const result = await action();
    this.output.out(`${this.count}. ${title} → ${describe(result)}`);
    return result;
  }

  /** A step whose point is an error: it must fail with a GraphSyncError, which is then shown. */
  async expectError(title: string, action: () => Promise<unknown>): Promise<void> {
    this.count += 1;
    let outcome: unknown;
    try {
      await action();
    } catch (error) {
      outcome = error;
    }
    if (!isGraphSyncError(outcome)) {
      throw new Error(`demo step "${title}" was expected to fail with a GraphSyncError but ${outcome ? `threw ${String(outcome)}` : "succeeded"}`);
    }
    this.output.out(`${this.count}. ${title} → handled:`);
    this.output.out(
      `     GraphSyncError kind=${outcome.kind}${outcome.status ? ` status=${outcome.status}` : ""} code=${outcome.code ?? "-"} → CLI exit code ${exitCodeFor(outcome.kind)}`,
    );
    this.output.out(`     ${outcome.message}`);
  }

  detail(line: string): void {
    this.output.out(`     ${line}`);
  }
}

/** Secret values are never shown, not even in part; only which keys are stored. */
export function maskedSecrets(keys: readonly string[]): string {
  return keys.length === 0 ? "(none)" : keys.map((key) => `${key}=********`).join("  ");
}

/** "eaa94c8c-…" for compact lines. */
export function shortId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}
