import type { ResolvedTarget } from "../validation/validateTarget.js";

/** "service principal 1b2c…" / "application 1b2c…", for messages. */
export function describeTarget(target: ResolvedTarget): string {
  return `${target.kind === "servicePrincipal" ? "service principal" : "application"} ${target.id}`;
}
