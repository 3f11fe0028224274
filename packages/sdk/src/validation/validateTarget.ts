import type { ValidationIssue } from "../errors/graphSyncError.js";
import { closestMatch, describeType, validationError } from "./messages.js";
import { schemas } from "./schemas.js";
import { snapshotInput } from "./callerInput.js";

/** A validated target: which kind of object, and its id. */
export interface ResolvedTarget {
  /** Which kind of object the id names: a service principal or an application (app registration). */
  readonly kind: "servicePrincipal" | "application";
  /** The object's id (a GUID, as given). */
  readonly id: string;
}

/** The target's collection in Graph's URL: `servicePrincipals` or `applications`. */
export function targetCollection(target: ResolvedTarget): "servicePrincipals" | "applications" {
  return target.kind === "servicePrincipal" ? "servicePrincipals" : "applications";
}

/** "service principal 1b2c…" / "application 1b2c…", for messages. */
export function describeTarget(target: ResolvedTarget): string {
  return `${target.kind === "servicePrincipal" ? "service principal" : "application"} ${target.id}`;
}

const ID_PROPERTIES = ["servicePrincipalId", "applicationId"] as const;
const EXAMPLE_ID = "8f2c5c41-3b5e-4a7f-9e0b-2c4d1e6f7a8b";

/**
 * Checks `target` against the generated schema (exactly one of the two ids, each a GUID) and
 * explains what is wrong in terms of the two shapes, rather than ajv's per-branch errors.
 */
export function validateTarget(callerInput: unknown): ResolvedTarget {
  const input = snapshotInput("target", callerInput);
  if (schemas.target(input)) {
    const record = input as Record<string, string>;
    return record["servicePrincipalId"] !== undefined
      ? { kind: "servicePrincipal", id: record["servicePrincipalId"] }
      : { kind: "application", id: record["applicationId"] as string };
  }
  throw validationError("target", describeProblems(input, schemas.objectIdPattern));
}

function describeProblems(input: unknown, pattern: RegExp): ValidationIssue[] {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    const hint = typeof input === "string" && pattern.test(input) ? ` (wrap the id: { servicePrincipalId: "${input}" })` : "";
    return [{ path: "target", message: `must be { servicePrincipalId } or { applicationId }, not ${describeType(input)}${hint}` }];
  }
  const record = input as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  const present = ID_PROPERTIES.filter((name) => record[name] !== undefined);
  for (const name of Object.keys(record)) {
    if ((ID_PROPERTIES as readonly string[]).includes(name)) continue;
    const suggestion = /^(app|client)(lication)?_?id$/i.test(name) ? "applicationId" : closestMatch(name, ID_PROPERTIES);
    issues.push({
      path: `target.${name}`,
      message:
        `unknown property${suggestion ? `; did you mean "${suggestion}"?` : ""}` +
        (/^(app|client)_?id$/i.test(name)
          ? " Note: applicationId is the app registration's object id, not its appId (client id)."
          : ""),
    });
  }
  if (present.length === 2) {
    issues.push({ path: "target", message: "pass exactly one of servicePrincipalId or applicationId, not both" });
  } else if (present.length === 0 && issues.length === 0) {
    issues.push({ path: "target", message: "pass servicePrincipalId or applicationId" });
  }
  for (const name of present) {
    const value = record[name];
    if (typeof value !== "string") {
      issues.push({ path: `target.${name}`, message: `must be a string, not ${describeType(value)}` });
    } else if (!pattern.test(value)) {
      // Not echoed: what is not an id may be a secret typed in the wrong place (a CLI argument).
      issues.push({
        path: `target.${name}`,
        message:
          `is not an object id (the ${value.length} characters given are not shown, in case they are a secret put in the wrong place): ` +
          `Graph ids are GUIDs such as ${EXAMPLE_ID} ` +
          (name === "servicePrincipalId"
            ? "(Enterprise applications → your app → Object ID)"
            : "(App registrations → your app → Object ID, not the Application (client) ID)"),
      });
    }
  }
  if (issues.length === 0) issues.push({ path: "target", message: "is not valid" });
  return issues;
}
