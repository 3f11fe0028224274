import type { ValidationIssue } from "../errors/graphSyncError.js";
import type { SynchronizationSecretEntry } from "./credentialTypes.js";
import { closestMatch, describeType, showableName, toDisplayPath, validationError, valueAt } from "./messages.js";
import { schemas, type SchemaError } from "./schemas.js";
import { synchronizationSecretKeys } from "./schemas.js";
import { snapshotInput } from "./callerInput.js";

const ROOT = "credentials";
const EXAMPLE_KEY = "Oauth2AuthorizationCode";

/**
 * Checks the `credentials` argument against the generated JSON Schema, then for what a schema
 * cannot express (a key listed twice, an empty value), and returns it as the list Graph expects,
 * in the caller's order. Throws a `validation` GraphSyncError listing every problem.
 *
 * Messages name keys and types, never values: the values are secrets.
 */
export function validateCredentials(callerInput: unknown): SynchronizationSecretEntry[] {
  const input = snapshotInput(ROOT, callerInput);
  if (Array.isArray(input)) {
    if (!schemas.secretsList(input)) {
      throw validationError("credentials", dedupe((schemas.secretsList.errors ?? []).map((error) => listIssue(input, error))));
    }
    const entries = input as SynchronizationSecretEntry[];
    const issues = listSemanticIssues(entries);
    if (issues.length > 0) throw validationError("credentials", dedupe(issues));
    return entries.map(({ key, value }) => ({ key, value }));
  }
  if (isPlainObject(input)) {
    if (!schemas.secretsObject(input)) {
      const issues = (schemas.secretsObject.errors ?? []).map((error) => objectIssue(input, error));
      throw validationError("credentials", inInputOrder(dedupe(issues), Object.keys(input)));
    }
    // The schema says every value is a string; what is left is an empty one.
    const entries: SynchronizationSecretEntry[] = [];
    let issues: ValidationIssue[] | undefined;
    for (const key of Object.keys(input)) {
      const value = input[key] as string;
      if (isBlank(value)) (issues ??= []).push(emptyValueIssue(`${ROOT}.${key}`));
      else entries.push({ key: key as SynchronizationSecretEntry["key"], value });
    }
    if (issues) throw validationError("credentials", issues);
    return entries;
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

function objectIssue(data: unknown, error: SchemaError): ValidationIssue {
  const path = toDisplayPath(ROOT, error.instancePath);
  switch (error.keyword) {
    case "minProperties":
      return { path, message: `no secret given: pass at least one, for example ${EXAMPLE_KEY}` };
    case "additionalProperties": {
      const name = String(error.params["additionalProperty"]);
      if (showableName(name, synchronizationSecretKeys) !== undefined) return { path: `${ROOT}.${name}`, message: unknownKeyMessage(name) };
      const position = typeof data === "object" && data !== null ? Object.keys(data).indexOf(name) + 1 : 0;
      return { path: ROOT, message: `key number ${position} ${hiddenKeyMessage}` };
    }
    case "type":
      return { path, message: `must be a string, not ${describeType(valueAt(data, error))}` };
    default:
      return { path, message: error.message ?? "is not valid" };
  }
}

function listIssue(data: unknown, error: SchemaError): ValidationIssue {
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
        message: `unexpected property${hint ? ` "${name}" (did you mean "${hint}"?)` : " (not shown, in case it is a secret)"}: each item has only key and value`,
      };
    }
    case "enum": {
      const name = String(valueAt(data, error));
      return { path, message: showableName(name, synchronizationSecretKeys) !== undefined ? unknownKeyMessage(name) : hiddenKeyMessage };
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
  const duplicates: ValidationIssue[] = [];
  const empty: ValidationIssue[] = [];
  const firstIndex = new Map<string, number>();
  for (let index = 0; index < entries.length; index++) {
    const { key, value } = entries[index] as SynchronizationSecretEntry;
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, index);
    else duplicates.push({ path: `${ROOT}[${index}].key`, message: `"${key}" is given twice (also at ${ROOT}[${first}]); give each key once` });
    if (isBlank(value)) empty.push(emptyValueIssue(`${ROOT}[${index}].value`));
  }
  return empty.length === 0 ? duplicates : [...duplicates, ...empty];
}

function isBlank(value: unknown): boolean {
  return typeof value === "string" && value.trim() === "";
}

function emptyValueIssue(path: string): ValidationIssue {
  return { path, message: "is empty: Graph needs a value for every key you pass (leave the key out instead)" };
}

/** For a key that is neither a secret key nor a typo of one: it may be a value typed in the wrong place. */
const hiddenKeyMessage =
  "is not a synchronization secret key (not shown: it looks like no key name, and may be a secret put in the wrong place); " +
  `valid keys include ${EXAMPLE_KEY}, Oauth2RedirectUri, Oauth2ClientId, BaseAddress, SecretToken`;

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
