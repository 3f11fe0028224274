import { parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import type { ValidationIssue } from "../errors/graphSyncError.js";
import { validationError } from "./issues.js";

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
  const issues: ValidationIssue[] = [];
  findDuplicateKeys(tree, "credentials", content, issues);
  if (issues.length > 0) throw validationError("credentials", issues);
  return toValue(tree);
}

/** "PropertyNameExpected" → "property name expected". */
function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

function findDuplicateKeys(node: Node, path: string, text: string, issues: ValidationIssue[]): void {
  if (node.type === "array") {
    node.children?.forEach((child, index) => findDuplicateKeys(child, `${path}[${index}]`, text, issues));
    return;
  }
  if (node.type !== "object") return;
  const seen = new Map<string, number>();
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || typeof keyNode.value !== "string") continue;
    const name = keyNode.value;
    const childPath = `${path}.${name}`;
    const firstOffset = seen.get(name);
    if (firstOffset === undefined) {
      seen.set(name, keyNode.offset);
    } else {
      issues.push({
        path: childPath,
        message: `is given twice (${position(text, firstOffset)} and ${position(text, keyNode.offset)}); give each key once`,
      });
    }
    if (valueNode) findDuplicateKeys(valueNode, childPath, text, issues);
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
