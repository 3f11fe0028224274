import { ACTION_PATHS } from "./actionPaths.ts";
import type { AcquireAccessTokenCsdl, CsdlTyped } from "./csdl.ts";
import type { OpenApiDocument } from "./sliceDescription.ts";

const SECRET = "microsoft.graph.synchronizationSecret";
const PAIR = "microsoft.graph.synchronizationSecretKeyStringValuePair";
const SCHEMA_REF = "#/components/schemas/";

/**
 * How OpenAPI.NET.OData writes each CSDL primitive type graph-sync meets (type and format).
 * A CSDL type not listed here is compared by name and reported as one the check cannot map.
 */
const PRIMITIVES: Record<string, string> = {
  "Edm.String": "string",
  "Edm.Boolean": "boolean",
  "Edm.Int32": "number/int32",
  "Edm.Int64": "number/int64",
  "Edm.Guid": "string/uuid",
  "Edm.DateTimeOffset": "string/date-time",
  "Edm.Binary": "string/base64url",
};

type Schema = Record<string, unknown> & {
  type?: string;
  format?: string;
  $ref?: string;
  nullable?: boolean;
  items?: Schema;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  enum?: unknown[];
};

/**
 * Where a v1.0 slice of Graph's OpenAPI description disagrees with Graph's CSDL, the model it was
 * converted from: the enum's members and their order, the key/value pair's property names, types
 * and nullability, the action's parameter names and types, and its binding (the paths end in the
 * binding type's segment). Each difference is one sentence; none means they agree.
 */
export function crossCheckCsdl(fragment: OpenApiDocument, csdl: AcquireAccessTokenCsdl): string[] {
  const differences: string[] = [];
  const schemas = (fragment.components?.["schemas"] ?? {}) as Record<string, Schema>;

  const members = schemas[SECRET]?.enum;
  if (!Array.isArray(members)) {
    differences.push(`schema ${SECRET}: not an enum in the slice, but an EnumType of ${csdl.secretKeys.length} members in the CSDL`);
  } else {
    const listed = members.map(String);
    for (const key of csdl.secretKeys.filter((key) => !listed.includes(key))) differences.push(`schema ${SECRET}: member ${key} is in the CSDL, not in the slice`);
    for (const key of listed.filter((key) => !csdl.secretKeys.includes(key))) differences.push(`schema ${SECRET}: member ${key} is in the slice, not in the CSDL`);
    const common = csdl.secretKeys.filter((key) => listed.includes(key));
    const sliceOrder = listed.filter((key) => csdl.secretKeys.includes(key));
    const firstOutOfPlace = common.findIndex((key, index) => sliceOrder[index] !== key);
    if (firstOutOfPlace >= 0) {
      differences.push(`schema ${SECRET}: members in another order: the CSDL has ${common[firstOutOfPlace]} at position ${firstOutOfPlace + 1} of the members both list, the slice ${sliceOrder[firstOutOfPlace]}`);
    }
  }

  const pair = schemas[PAIR];
  if (pair === undefined) differences.push(`schema ${PAIR}: missing from the slice`);
  else differences.push(...compareMembers(`schema ${PAIR}: property`, pair.properties ?? {}, csdl.keyValuePair, true));

  for (const path of ACTION_PATHS) {
    const post = (fragment.paths?.[path] as { post?: { requestBody?: { content?: Record<string, { schema?: Schema }> } } } | undefined)?.post;
    if (post === undefined) {
      differences.push(`POST ${path}: missing from the slice`);
      continue;
    }
    const segments = path.split("/");
    const action = csdl.actions.find((candidate) => candidate.name === segments.at(-1) && candidate.bindingType === `microsoft.graph.${segments.at(-2)}`);
    if (action === undefined) {
      differences.push(`POST ${path}: the CSDL has no action ${segments.at(-1)} bound to microsoft.graph.${segments.at(-2)} (it binds it to ${csdl.actions.map((candidate) => candidate.bindingType).join(", ")})`);
      continue;
    }
    const body = post.requestBody?.content?.["application/json"]?.schema;
    differences.push(...compareMembers(`POST ${path}: parameter`, body?.properties ?? {}, action.parameters, false));
  }
  return differences;
}

/**
 * Compares the properties of a slice's object schema with the CSDL's properties or parameters:
 * names both ways, then each one's type and (for properties) nullability. `@odata.*` properties
 * are the converter's own additions, not members of the model.
 */
function compareMembers(what: string, properties: Record<string, Schema>, members: CsdlTyped[], checkNullable: boolean): string[] {
  const differences: string[] = [];
  const names = Object.keys(properties).filter((name) => !name.startsWith("@odata."));
  for (const member of members) {
    const schema = properties[member.name];
    if (schema === undefined) {
      differences.push(`${what} ${member.name} is in the CSDL (${member.type}), not in the slice`);
      continue;
    }
    const expected = openApiTypeOfCsdl(member.type);
    const actual = typeOfSchema(schema);
    if (expected !== actual.type) differences.push(`${what} ${member.name}: type ${actual.type} in the slice, ${member.type} (${expected}) in the CSDL`);
    // The converter never marks an array nullable, whatever the CSDL says of a collection.
    if (checkNullable && !member.type.startsWith("Collection(") && actual.nullable !== member.nullable) {
      differences.push(`${what} ${member.name}: ${actual.nullable ? "nullable" : "not nullable"} in the slice, ${member.nullable ? "nullable" : "Nullable=\"false\""} in the CSDL`);
    }
  }
  for (const name of names.filter((name) => !members.some((member) => member.name === name))) {
    differences.push(`${what} ${name} is in the slice, not in the CSDL`);
  }
  return differences;
}

/** The OpenAPI type (as typeOfSchema spells it) the converter makes of a CSDL type. */
function openApiTypeOfCsdl(type: string): string {
  const collection = /^Collection\((.+)\)$/.exec(type);
  if (collection) return `array of ${openApiTypeOfCsdl(collection[1]!)}`;
  if (type.startsWith("Edm.")) return PRIMITIVES[type] ?? `an unmapped ${type}`;
  return type;
}

/** A schema's type as one string (`string`, `number/int32`, `array of microsoft.graph.x`) and whether it allows null. */
function typeOfSchema(schema: Schema): { type: string; nullable: boolean } {
  // The converter writes a nullable reference as anyOf: [$ref, {type: object, nullable: true}].
  if (Array.isArray(schema.anyOf)) {
    const referenced = schema.anyOf.find((entry) => entry.$ref !== undefined);
    const nullable = schema.anyOf.some((entry) => entry.nullable === true && entry.$ref === undefined);
    if (referenced !== undefined && schema.anyOf.length === (nullable ? 2 : 1)) return { type: typeOfSchema(referenced).type, nullable };
  }
  if (schema.$ref !== undefined) return { type: schema.$ref.startsWith(SCHEMA_REF) ? schema.$ref.slice(SCHEMA_REF.length) : schema.$ref, nullable: false };
  if (schema.type === "array") return { type: `array of ${schema.items === undefined ? "anything" : typeOfSchema(schema.items).type}`, nullable: schema.nullable === true };
  return { type: `${schema.type ?? "untyped"}${schema.format === undefined ? "" : `/${schema.format}`}`, nullable: schema.nullable === true };
}
