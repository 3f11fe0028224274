import { parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import type { ValidationIssue } from "../errors/graphSyncError.js";
import { MAX_REPORTED_ISSUES, showableName, validationError } from "./messages.js";
import { synchronizationSecretKeys } from "./schemas.js";
import { credentialsSizeMessage, MAX_CREDENTIAL_ENTRIES } from "./callerInput.js";

/**
 * Parses credentials given as JSON text (the CLI's credentials file, stdin or environment
 * variable) strictly: standard JSON only, and no key twice in one object. `JSON.parse` would keep
 * the last of two equal keys without a word, silently dropping a secret the user meant to send.
 *
 * Errors give positions and key names, never the text itself (it holds secrets).
 */
export function parseCredentialsJson(text: string, source: string): unknown {
  const content = text.replace(/^\uFEFF/, "");
  if (content.trim() === "") {
    throw validationError("credentials", [
      { path: "credentials", message: `${source} is empty: it must hold a JSON object keyed by secret name, or a list of { "key", "value" } pairs` },
    ]);
  }
  // Refused before parsing: the parser is recursive, and builds a node for every value.
  const shape = scanShape(content);
  if (shape.depth > MAX_NESTING_DEPTH) {
    throw validationError("credentials", [
      {
        path: "credentials",
        message: `${source} nests objects or lists more than ${MAX_NESTING_DEPTH} levels deep: credentials are an object of strings or a list of { "key", "value" } pairs`,
      },
    ]);
  }
  if (shape.entries > MAX_CREDENTIAL_ENTRIES) {
    throw validationError("credentials", [
      { path: "credentials", message: credentialsSizeMessage(shape.entries, shape.isList ? "entries" : "keys") },
    ]);
  }
  const errors: ParseError[] = [];
  const tree = parseTree(content, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || tree === undefined) {
    const first = errors[0];
    const where = first ? ` at ${position(content, first.offset)}` : "";
    throw validationError("credentials", [
      {
        path: "credentials",
        message: `${source} is not valid JSON: ${first ? describeParseError(printParseErrorCode(first.error)) : "no value"}${where}`,
      },
    ]);
  }
  const duplicates: Duplicate[] = [];
  findDuplicateKeys(tree, "credentials", duplicates);
  if (duplicates.length > 0) {
    // Positions cost a scan of the text each: describe the first few, count the rest.
    const issues = duplicates.slice(0, MAX_REPORTED_ISSUES).map((duplicate) => describeDuplicate(duplicate, content));
    throw validationError("credentials", issues, duplicates.length - issues.length);
  }
  return toValue(tree);
}

/** "PropertyNameExpected" → "property name expected". */
function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/**
 * Valid credentials nest two levels (a list of pairs); JSON nested thousands deep would exhaust the
 * stack of the (recursive) parser, so it is refused before parsing.
 */
const MAX_NESTING_DEPTH = 32;


/**
 * The deepest nesting of objects and lists in JSON text, and how many entries its outermost object
 * or list has (commas at the first level, plus one); strings skipped. One pass, no recursion, no
 * allocation: what is refused here costs next to nothing. Only meaningful for valid JSON, which the
 * parser checks afterwards.
 */
function scanShape(text: string): { depth: number; entries: number; isList: boolean } {
  let depth = 0;
  let deepest = 0;
  let commas = 0;
  let inString = false;
  let sawValue = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c /* \\ */) index++;
      else if (char === 0x22 /* " */) inString = false;
      continue;
    }
    if (char === 0x22) inString = true;
    else if (char === 0x7b /* { */ || char === 0x5b /* [ */) deepest = Math.max(deepest, ++depth);
    else if (char === 0x7d /* } */ || char === 0x5d /* ] */) depth--;
    else if (char === 0x2c /* , */ && depth === 1) commas++;
    if (depth >= 1 && char > 0x20 && char !== 0x7b && char !== 0x5b) sawValue = true;
  }
  return { depth: deepest, entries: sawValue ? commas + 1 : 0, isList: text.trimStart().startsWith("[") };
}

interface Duplicate {
  /** Where the object is; the key itself is named only if it is a known name (see showableName). */
  objectPath: string;
  name: string;
  firstOffset: number;
  offset: number;
}

/** Names that may be shown: the secret keys and the two properties of a list item. */
const knownNames: readonly string[] = [...synchronizationSecretKeys, "key", "value"];

function describeDuplicate(duplicate: Duplicate, text: string): ValidationIssue {
  const shown = showableName(duplicate.name, knownNames);
  const where = `${position(text, duplicate.firstOffset)} and ${position(text, duplicate.offset)}`;
  return shown !== undefined
    ? { path: `${duplicate.objectPath}.${shown}`, message: `is given twice (${where}); give each key once` }
    : { path: duplicate.objectPath, message: `has a key given twice (${where}; not shown, in case it is a secret); give each key once` };
}

function findDuplicateKeys(node: Node, path: string, duplicates: Duplicate[]): void {
  if (node.type === "array") {
    node.children?.forEach((child, index) => findDuplicateKeys(child, `${path}[${index}]`, duplicates));
    return;
  }
  if (node.type !== "object") return;
  const seen = new Map<string, number>();
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || typeof keyNode.value !== "string") continue;
    const name = keyNode.value;
    const firstOffset = seen.get(name);
    if (firstOffset === undefined) seen.set(name, keyNode.offset);
    else duplicates.push({ objectPath: path, name, firstOffset, offset: keyNode.offset });
    // A nested object's path names its key only when the key may be shown (see showableName).
    if (valueNode) findDuplicateKeys(valueNode, `${path}.${showableName(name, knownNames) ?? "…"}`, duplicates);
  }
}

/** The JavaScript value of a parsed node; objects are plain, with keys in file order. */
function toValue(node: Node): unknown {
  switch (node.type) {
    case "object":
      return Object.fromEntries(
        (node.children ?? []).flatMap((property) => {
          const [keyNode, valueNode] = property.children ?? [];
          return keyNode && valueNode ? [[String(keyNode.value), toValue(valueNode)]] : [];
        }),
      );
    case "array":
      return (node.children ?? []).map(toValue);
    default:
      return node.value;
  }
}

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `line ${line}, column ${column}`;
}
