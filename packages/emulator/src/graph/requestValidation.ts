import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { closest } from "fastest-levenshtein";
import type { Credential } from "../provisioning/acquireProvisioningTokens.js";
import { GraphError } from "./graphErrors.js";
import type { ActionRoute, OpenApiFragment } from "./openApiFragment.js";

/** Graph's code for a request its model layer rejects. */
export const badRequestCode = "Request_BadRequest";

/**
 * Validates `acquireAccessToken` request bodies against the schemas in the OpenAPI fragment — the
 * same document the Kiota client is generated from, so the emulator and the client cannot drift —
 * and turns the first violation into a 400 whose message names the problem.
 */
export class AcquireAccessTokenRequestValidator {
  private readonly validators = new Map<ActionRoute, ValidateFunction>();

  /**
   * The validator of `fragment`, compiled once per process: compiling is a noticeable part of a
   * start, and tests start many emulators.
   */
  static for(fragment: OpenApiFragment): AcquireAccessTokenRequestValidator {
    let validator = validatorsByFragment.get(fragment);
    if (!validator) {
      validator = new AcquireAccessTokenRequestValidator(fragment);
      validatorsByFragment.set(fragment, validator);
    }
    return validator;
  }

  private constructor(fragment: OpenApiFragment) {
    // verbose: errors carry the failing schema, whose `title` names the Graph type in messages.
    // Formats are not validated: the fragment's only format (`date-time` on error dates) is for
    // responses, and Graph's own dates there are not RFC 3339.
    // validateSchema: the document is an OpenAPI description (linted as one), not a JSON Schema;
    // checking it against the JSON Schema meta-schema would only cost time.
    const ajv = new Ajv({ strict: false, verbose: true, validateFormats: false, allErrors: false, validateSchema: false });
    ajv.addSchema(closeODataTypes(structuredClone(fragment.document)), "openapi");
    for (const route of fragment.routes) {
      this.validators.set(route, ajv.compile({ $ref: route.requestBodySchemaRef }));
    }
  }

  /** Returns the credentials of a valid body; throws a 400 {@link GraphError} otherwise. */
  validate(route: ActionRoute, body: unknown): Credential[] {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw badRequest("The request body must be a JSON object with a 'credentials' array.");
    }
    const credentials = (body as { credentials?: unknown }).credentials;
    if (credentials === undefined || credentials === null) {
      throw badRequest(
        "The request body has no 'credentials': send a non-empty array of {key, value} pairs, at least Oauth2AuthorizationCode.",
      );
    }
    const validator = this.validators.get(route);
    if (!validator) throw new Error(`No validator for ${route.pathTemplate}`);
    if (!validator(body)) throw badRequest(describeViolation(validator.errors?.[0]));
    const pairs = credentials as Array<{ key?: string; value?: string | null }>;
    if (pairs.length === 0) {
      throw badRequest("'credentials' is empty: send at least the key Oauth2AuthorizationCode with the authorization code.");
    }
    const seen = new Set<string>();
    return pairs.map((pair, index) => {
      if (pair.key === undefined) throw badRequest(`credentials[${index}] has no 'key'.`);
      if (seen.has(pair.key)) throw badRequest(`The key '${pair.key}' appears more than once in 'credentials'.`);
      seen.add(pair.key);
      return { key: pair.key, value: pair.value ?? null };
    });
  }
}

const validatorsByFragment = new WeakMap<OpenApiFragment, AcquireAccessTokenRequestValidator>();

function badRequest(message: string): GraphError {
  return new GraphError(400, badRequestCode, message);
}

/** Turns ajv's first error into a sentence that says what is wrong and where. */
function describeViolation(error: ErrorObject | undefined): string {
  if (!error) return "The request body does not match the acquireAccessToken request schema.";
  const location = readableLocation(error.instancePath);
  const typeName = typeof error.parentSchema?.["title"] === "string" ? String(error.parentSchema["title"]) : undefined;
  switch (error.keyword) {
    case "enum": {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const given = String(error.data);
      const suggestion = allowed.find((value) => value.toLowerCase() === given.toLowerCase()) ?? closest(given, allowed);
      return (
        `Requested value '${truncate(given)}' at ${location} was not found in microsoft.graph.${typeName ?? "synchronizationSecret"}` +
        `; did you mean '${suggestion}'?`
      );
    }
    case "additionalProperties": {
      const property = (error.params as { additionalProperty: string }).additionalProperty;
      const owner = typeName ? `type 'microsoft.graph.${typeName}'` : "the acquireAccessToken request body";
      return `The property '${truncate(property)}' does not exist on ${owner} (at ${location}). Make sure to only use property names that are defined by the type.`;
    }
    case "type": {
      const expected = (error.params as { type: string | string[] }).type;
      const nullable = error.parentSchema?.["nullable"] === true;
      const what = `${[expected].flat().join(" or ")}${nullable ? " or null" : ""}`;
      return `${location} must be ${/^[aeiou]/.test(what) ? "an" : "a"} ${what}.`;
    }
    default:
      return `${location} ${error.message ?? "is not valid"}.`;
  }
}

/** `/credentials/2/key` → `credentials[2].key`; the root → `the request body`. */
function readableLocation(instancePath: string): string {
  if (instancePath === "") return "the request body";
  return instancePath
    .split("/")
    .slice(1)
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((path, token) => (/^\d+$/.test(token) ? `${path}[${token}]` : path ? `${path}.${token}` : token), "");
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}

/**
 * OData entity and complex types are closed: Graph rejects properties a type does not define,
 * although the OpenAPI conversion does not say `additionalProperties: false`. Apply that rule to
 * every object schema of the document, allowing only OData annotations (`@odata.type`, ...).
 *
 * The converter also lists `@odata.type` as required (it is how Graph's responses name a type);
 * Graph does not demand it in a request, so neither does the emulator.
 */
function closeODataTypes(node: unknown): Record<string, unknown> {
  if (Array.isArray(node)) {
    node.forEach(closeODataTypes);
  } else if (typeof node === "object" && node !== null) {
    const schema = node as Record<string, unknown>;
    if (schema["type"] === "object" && typeof schema["properties"] === "object" && !("additionalProperties" in schema)) {
      schema["additionalProperties"] = false;
      schema["patternProperties"] = { "^@odata\\.": {} };
    }
    if (Array.isArray(schema["required"])) {
      schema["required"] = schema["required"].filter((name) => typeof name !== "string" || !name.startsWith("@odata."));
    }
    for (const value of Object.values(schema)) closeODataTypes(value);
  }
  return node as Record<string, unknown>;
}
