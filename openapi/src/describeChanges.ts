import type { OpenApiDocument } from "./sliceDescription.ts";

/**
 * One difference between the committed fragment and a new slice. `breaking` ones can break code
 * built on the generated client (something removed, a type changed, a new requirement); update-spec
 * refuses to write them unless told to.
 */
export interface SpecChange {
  kind: "breaking" | "added" | "changed" | "deprecated";
  text: string;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

type Schema = Record<string, unknown> & {
  type?: string;
  format?: string;
  $ref?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  deprecated?: boolean;
  "x-ms-deprecation"?: Record<string, unknown>;
};
type Operation = Record<string, unknown> & {
  description?: string;
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }>; required?: boolean };
  responses?: Record<string, unknown>;
  deprecated?: boolean;
  "x-ms-deprecation"?: Record<string, unknown>;
};
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema; style?: string };

/**
 * What changed from `before` (the committed fragment, or nothing on the first run) to `after`:
 * paths, operations, parameters, schemas and their properties, enum members, deprecations. A
 * general OpenAPI diff tool fits badly here: the report must name every enum member and
 * deprecation date, and judge breakage for a request-only client (a new response property is
 * harmless; a new required request property is not).
 */
export function describeChanges(before: OpenApiDocument | undefined, after: OpenApiDocument): SpecChange[] {
  const changes: SpecChange[] = [];
  const add = (kind: SpecChange["kind"], text: string) => changes.push({ kind, text });
  if (!before) {
    add("added", `everything (no committed fragment yet): ${Object.keys(after.paths ?? {}).length} paths, ${Object.keys(after.components?.["schemas"] ?? {}).length} schemas`);
    return changes;
  }

  const beforePaths = before.paths ?? {};
  const afterPaths = after.paths ?? {};
  for (const path of union(Object.keys(beforePaths), Object.keys(afterPaths))) {
    const was = beforePaths[path];
    const now = afterPaths[path];
    if (!now) { add("breaking", `path ${path} removed`); continue; }
    if (!was) { add("added", `path ${path}`); continue; }
    diffParameters(`path ${path}`, (was["parameters"] ?? []) as Parameter[], (now["parameters"] ?? []) as Parameter[], add);
    for (const method of HTTP_METHODS) {
      const before = was[method] as Operation | undefined;
      const after = now[method] as Operation | undefined;
      const where = `${method.toUpperCase()} ${path}`;
      if (before && !after) add("breaking", `operation ${where} removed`);
      else if (!before && after) add("added", `operation ${where}`);
      else if (before && after) diffOperation(where, before, after, add);
    }
  }

  const beforeSchemas = (before.components?.["schemas"] ?? {}) as Record<string, Schema>;
  const afterSchemas = (after.components?.["schemas"] ?? {}) as Record<string, Schema>;
  for (const name of union(Object.keys(beforeSchemas), Object.keys(afterSchemas))) {
    const was = beforeSchemas[name];
    const now = afterSchemas[name];
    if (!now) add("breaking", `schema ${name} removed`);
    else if (!was) add("added", `schema ${name}`);
    else diffSchema(`schema ${name}`, was, now, add);
  }
  return changes;
}

function diffOperation(where: string, before: Operation, after: Operation, add: (kind: SpecChange["kind"], text: string) => void): void {
  if (before.operationId !== after.operationId) add("changed", `${where}: operationId ${before.operationId} → ${after.operationId}`);
  if (before.description !== after.description) add("changed", `${where}: description now "${after.description ?? ""}"`);
  diffParameters(where, before.parameters ?? [], after.parameters ?? [], add);
  diffDeprecation(where, before, after, add);
  const beforeBody = before.requestBody?.content?.["application/json"]?.schema;
  const afterBody = after.requestBody?.content?.["application/json"]?.schema;
  if (beforeBody && !afterBody) add("breaking", `${where}: JSON request body removed`);
  else if (!beforeBody && afterBody) add("breaking", `${where}: JSON request body added`);
  else if (beforeBody && afterBody) diffSchema(`${where} request body`, beforeBody, afterBody, add);
  const beforeResponses = Object.keys(before.responses ?? {});
  const afterResponses = Object.keys(after.responses ?? {});
  for (const status of afterResponses.filter((status) => !beforeResponses.includes(status))) add("added", `${where}: response ${status}`);
  for (const status of beforeResponses.filter((status) => !afterResponses.includes(status))) add("breaking", `${where}: response ${status} removed`);
}

function diffParameters(where: string, before: Parameter[], after: Parameter[], add: (kind: SpecChange["kind"], text: string) => void): void {
  const key = (parameter: Parameter) => `${parameter.in} parameter ${parameter.name}`;
  const afterByKey = new Map(after.map((parameter) => [key(parameter), parameter]));
  const beforeByKey = new Map(before.map((parameter) => [key(parameter), parameter]));
  for (const [name, was] of beforeByKey) {
    const now = afterByKey.get(name);
    if (!now) { add("breaking", `${where}: ${name} removed`); continue; }
    if (!was.required && now.required) add("breaking", `${where}: ${name} now required`);
    if (typeName(was.schema) !== typeName(now.schema)) add("breaking", `${where}: ${name} type ${typeName(was.schema)} → ${typeName(now.schema)}`);
    if (was.style !== now.style) add("changed", `${where}: ${name} style ${was.style ?? "(default)"} → ${now.style ?? "(default)"}`);
  }
  for (const [name, now] of afterByKey) {
    if (!beforeByKey.has(name)) add(now.required && now.in !== "path" ? "breaking" : "added", `${where}: ${name}${now.required ? " (required)" : ""}`);
  }
}

function diffSchema(where: string, before: Schema, after: Schema, add: (kind: SpecChange["kind"], text: string) => void): void {
  if (typeName(before) !== typeName(after)) add("breaking", `${where}: type ${typeName(before)} → ${typeName(after)}`);
  if (before["title"] !== after["title"]) add("changed", `${where}: title ${String(before["title"] ?? "(none)")} → ${String(after["title"] ?? "(none)")}`);
  diffDeprecation(where, before, after, add);

  const beforeMembers = (before.enum ?? []).map(String);
  const afterMembers = (after.enum ?? []).map(String);
  for (const member of afterMembers.filter((member) => !beforeMembers.includes(member))) add("added", `${where}: enum member ${member}`);
  for (const member of beforeMembers.filter((member) => !afterMembers.includes(member))) add("breaking", `${where}: enum member ${member} removed`);

  const beforeProperties = before.properties ?? {};
  const afterProperties = after.properties ?? {};
  for (const name of union(Object.keys(beforeProperties), Object.keys(afterProperties))) {
    const was = beforeProperties[name];
    const now = afterProperties[name];
    if (!now) add("breaking", `${where}: property ${name} removed`);
    else if (!was) add("added", `${where}: property ${name} (${typeName(now)})`);
    else if (typeName(was) !== typeName(now)) add("breaking", `${where}: property ${name} type ${typeName(was)} → ${typeName(now)}`);
    else if (was.items && now.items) diffSchema(`${where} property ${name} items`, was.items, now.items, add);
  }
  const beforeRequired = before.required ?? [];
  const afterRequired = after.required ?? [];
  for (const name of afterRequired.filter((name) => !beforeRequired.includes(name))) {
    // '@odata.type' is an OData annotation the service fills in; Graph does not demand it in requests.
    add(name.startsWith("@odata.") ? "changed" : "breaking", `${where}: property ${name} now required`);
  }
  for (const name of beforeRequired.filter((name) => !afterRequired.includes(name))) add("changed", `${where}: property ${name} no longer required`);
}

function diffDeprecation(where: string, before: Schema | Operation, after: Schema | Operation, add: (kind: SpecChange["kind"], text: string) => void): void {
  const was = before["x-ms-deprecation"];
  const now = after["x-ms-deprecation"];
  if (!before.deprecated && after.deprecated) {
    add("deprecated", `${where}: deprecated${now ? ` on ${String(now["date"])}, removal ${String(now["removalDate"])} (${String(now["version"])}): ${String(now["description"])}` : ""}`);
  } else if (before.deprecated && !after.deprecated) {
    add("changed", `${where}: no longer deprecated`);
  } else if (was && now) {
    for (const field of ["date", "removalDate", "version", "description"]) {
      if (String(was[field]) !== String(now[field])) add("deprecated", `${where}: deprecation ${field} ${String(was[field])} → ${String(now[field])}`);
    }
  }
}

/** `string`, `string/date-time`, `microsoft.graph.x` for a reference, `array of …`. */
function typeName(schema: Schema | undefined): string {
  if (!schema) return "(none)";
  if (schema.$ref) return schema.$ref.replace(/^#\/components\/schemas\//, "");
  if (schema.type === "array") return `array of ${typeName(schema.items)}`;
  return `${schema.type ?? "(untyped)"}${schema.format ? `/${schema.format}` : ""}`;
}

function union(first: string[], second: string[]): string[] {
  return [...new Set([...first, ...second])];
}
