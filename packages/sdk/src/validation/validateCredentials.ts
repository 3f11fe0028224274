import type { ErrorObject } from "ajv";
import type { ValidationIssue } from "../errors/graphSyncError.js";
import { closestMatch } from "./closestKey.js";
import type { SynchronizationSecretEntry } from "./credentialTypes.js";
import { describeType, toDisplayPath, validationError, valueAt } from "./issues.js";
import { getSchemas } from "./schemas.js";
import { synchronizationSecretKeys } from "./secretKeys.js";

const ROOT = "credentials";
const EXAMPLE_KEY = "Oauth2AuthorizationCode";

/**
 * Checks the `credentials` argument against the generated JSON Schema, then for what a schema
 * cannot express (a key listed twice, an empty value), and returns it as the list Graph expects,
 * in the caller's order. Throws a `validation` GraphSyncError listing every problem.
 *
 * Messages name keys and types, never values: the values are secrets.
 */
export function validateCredentials(input: unknown): SynchronizationSecretEntry[] {
  const schemas = getSchemas();
  if (Array.isArray(input)) {
    const issues = schemas.secretsList(input) ? [] : (schemas.secretsList.errors ?? []).map((error) => listIssue(input, error));
    if (issues.length === 0) issues.push(...listSemanticIssues(input as SynchronizationSecretEntry[]));
    if (issues.length > 0) throw validationError("credentials", dedupe(issues));
    return (input as SynchronizationSecretEntry[]).map(({ key, value }) => ({ key, value }));
  }
  if (isPlainObject(input)) {
    const issues = schemas.secretsObject(input)
      ? []
      : (schemas.secretsObject.errors ?? []).map((error) => objectIssue(input, error));
    if (issues.length === 0) issues.push(...emptyValueIssues(Object.entries(input).map(([key, value]) => [`${ROOT}.${key}`, value])));
    if (issues.length > 0) throw validationError("credentials", inInputOrder(dedupe(issues), Object.keys(input)));
    return Object.entries(input as Record<string, string>).map(([key, value]) => ({ key, value }) as SynchronizationSecretEntry);
  }
  throw validationError("credentials", [
    {
      path: ROOT,
      message:
        input === undefined
          ? `missing: pass an object keyed by secret name, for example { ${EXAMPLE_KEY}: "…" }, or a list of { key, value } pairs`
          : `must be an object keyed by secret name or a list of { key, value } pairs, not ${describeType(input)}`,
    },
  ]);
}

function objectIssue(data: unknown, error: ErrorObject): ValidationIssue {
  const path = toDisplayPath(ROOT, error.instancePath);
  switch (error.keyword) {
    case "minProperties":
      return { path, message: `no secret given: pass at least one, for example ${EXAMPLE_KEY}` };
    case "additionalProperties": {
      const name = String(error.params["additionalProperty"]);
      return { path: `${ROOT}.${name}`, message: unknownKeyMessage(name) };
    }
    case "type":
      return { path, message: `must be a string, not ${describeType(valueAt(data, error))}` };
    default:
      return { path, message: error.message ?? "is not valid" };
  }
}

function listIssue(data: unknown, error: ErrorObject): ValidationIssue {
  const path = toDisplayPath(ROOT, error.instancePath);
  const isKey = error.instancePath.endsWith("/key");
  switch (error.keyword) {
    case "minItems":
      return { path, message: `the list is empty: pass at least one { key, value } pair, for example { key: "${EXAMPLE_KEY}", value: "…" }` };
    case "required":
      return { path, message: `missing "${String(error.params["missingProperty"])}": each item is { key, value }` };
    case "additionalProperties": {
      const name = String(error.params["additionalProperty"]);
      const hint = closestMatch(name, ["key", "value"]);
      return {
        path,
        message: `unexpected property "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}: each item has only key and value`,
      };
    }
    case "enum": {
      const name = valueAt(data, error);
      return { path, message: unknownKeyMessage(String(name)) };
    }
    case "type": {
      const expected = String(error.params["type"]);
      const actual = describeType(valueAt(data, error));
      return expected === "object"
        ? { path, message: `must be an object { key, value }, not ${actual}` }
        : { path, message: `must be a string${isKey ? " naming a synchronization secret key" : ""}, not ${actual}` };
    }
    default:
      return { path, message: error.message ?? "is not valid" };
  }
}

/** Duplicate keys and empty values in a list that already matches the schema. */
function listSemanticIssues(entries: readonly SynchronizationSecretEntry[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const firstIndex = new Map<string, number>();
  entries.forEach(({ key }, index) => {
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, index);
    else issues.push({ path: `${ROOT}[${index}].key`, message: `"${key}" is given twice (also at ${ROOT}[${first}]); give each key once` });
  });
  issues.push(...emptyValueIssues(entries.map(({ value }, index) => [`${ROOT}[${index}].value`, value])));
  return issues;
}

function emptyValueIssues(values: ReadonlyArray<readonly [string, unknown]>): ValidationIssue[] {
  return values
    .filter(([, value]) => typeof value === "string" && value.trim() === "")
    .map(([path]) => ({ path, message: "is empty: Graph needs a value for every key you pass (leave the key out instead)" }));
}

function unknownKeyMessage(name: string): string {
  const suggestion = closestMatch(name, synchronizationSecretKeys);
  return (
    `"${name}" is not a synchronization secret key` +
    (suggestion ? `; did you mean "${suggestion}"?` : `; valid keys include ${EXAMPLE_KEY}, Oauth2RedirectUri, Oauth2ClientId, BaseAddress, SecretToken`)
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Issues in the order of the caller's keys (ajv reports them in the schema's order). */
function inInputOrder(issues: readonly ValidationIssue[], keys: readonly string[]): ValidationIssue[] {
  const rank = (issue: ValidationIssue): number => keys.indexOf(issue.path.slice(ROOT.length + 1));
  return [...issues].sort((a, b) => rank(a) - rank(b));
}

function dedupe(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const id = `${issue.path}\u0000${issue.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
