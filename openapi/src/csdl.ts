import { XMLParser, XMLValidator } from "fast-xml-parser";
import { SpecInputError } from "./specError.ts";

/** The namespace Graph's entity model lives in; its CSDL refers to it through the alias `graph`. */
const GRAPH_NAMESPACE = "microsoft.graph";

/** What the CSDL says about one property or parameter. Types are fully qualified (`microsoft.graph.x`, `Collection(Edm.String)`). */
export interface CsdlTyped {
  name: string;
  type: string;
  /** CSDL's `Nullable`, whose default is true. */
  nullable: boolean;
}

/** A bound action, its binding parameter apart. */
export interface CsdlAction {
  name: string;
  /** The type it is bound to (the binding parameter's type). */
  bindingType: string;
  parameters: CsdlTyped[];
}

/** The facts of Graph's CSDL (its `$metadata`) that define the action graph-sync calls. */
export interface AcquireAccessTokenCsdl {
  /** `microsoft.graph.synchronizationSecret`'s members, in the CSDL's order. */
  secretKeys: string[];
  /** `microsoft.graph.synchronizationSecretKeyStringValuePair`'s properties. */
  keyValuePair: CsdlTyped[];
  /** Every bound action named `acquireAccessToken`. */
  actions: CsdlAction[];
  /** The entity types the actions are bound to that the CSDL defines. */
  bindingTypes: string[];
}

interface Element {
  [attributeOrChild: string]: string | Element[] | undefined;
}

/**
 * Reads the elements that define acquireAccessToken out of a CSDL document (Graph's whole
 * `schemas/v1.0-Prod.csdl`, or a slice of it), with fast-xml-parser. `source` names it in messages.
 * Throws {@link SpecInputError} when it is not CSDL or lacks any of the elements.
 */
export function readAcquireAccessTokenCsdl(text: string, source: string): AcquireAccessTokenCsdl {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new SpecInputError(`${source} is not XML (line ${valid.err.line}: ${valid.err.msg}): give Graph's CSDL, e.g. msgraph-metadata's schemas/v1.0-Prod.csdl.`);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    // Every element as an array, so one member and many read the same; attributes as strings.
    isArray: (_name, _path, _isLeaf, isAttribute) => !isAttribute,
    processEntities: false,
  });
  const root = parser.parse(text) as Element;
  const schemas = children(root, "edmx:Edmx").flatMap((edmx) => children(edmx, "edmx:DataServices")).flatMap((services) => children(services, "Schema"));
  const graph = schemas.find((schema) => schema["Namespace"] === GRAPH_NAMESPACE);
  if (graph === undefined) {
    throw new SpecInputError(`${source} is not Graph's CSDL: it has no Schema with Namespace="${GRAPH_NAMESPACE}" inside edmx:Edmx/edmx:DataServices. Give msgraph-metadata's schemas/v1.0-Prod.csdl.`);
  }
  const alias = typeof graph["Alias"] === "string" ? graph["Alias"] : undefined;
  const qualify = (type: string): string => {
    const collection = /^Collection\((.+)\)$/.exec(type);
    if (collection) return `Collection(${qualify(collection[1]!)})`;
    return alias !== undefined && type.startsWith(`${alias}.`) ? `${GRAPH_NAMESPACE}.${type.slice(alias.length + 1)}` : type;
  };
  const typed = (element: Element): CsdlTyped => ({
    name: attribute(element, "Name", source),
    type: qualify(attribute(element, "Type", source)),
    nullable: element["Nullable"] !== "false",
  });
  const missing = (what: string) => new SpecInputError(`${source} has no ${what} in Schema ${GRAPH_NAMESPACE}: it is not Graph's CSDL for v1.0 (or Graph renamed it; then the fragment needs a decision).`);

  const secret = children(graph, "EnumType").find((element) => element["Name"] === "synchronizationSecret");
  if (secret === undefined) throw missing('EnumType Name="synchronizationSecret"');
  const pair = children(graph, "ComplexType").find((element) => element["Name"] === "synchronizationSecretKeyStringValuePair");
  if (pair === undefined) throw missing('ComplexType Name="synchronizationSecretKeyStringValuePair"');
  const actions = children(graph, "Action")
    .filter((element) => element["Name"] === "acquireAccessToken" && element["IsBound"] === "true")
    .map((element): CsdlAction => {
      const [binding, ...parameters] = children(element, "Parameter").map(typed);
      if (binding === undefined) throw new SpecInputError(`${source}: the bound action acquireAccessToken has no binding parameter. The CSDL is damaged; fetch it again.`);
      return { name: "acquireAccessToken", bindingType: binding.type, parameters };
    });
  if (actions.length === 0) throw missing('bound Action Name="acquireAccessToken"');
  const entityTypes = new Set(children(graph, "EntityType").map((element) => `${GRAPH_NAMESPACE}.${attribute(element, "Name", source)}`));
  const unbound = actions.map((action) => action.bindingType).filter((type) => !entityTypes.has(type));
  if (unbound.length > 0) throw missing(`EntityType for the binding type ${[...new Set(unbound)].join(", ")}`);

  return {
    secretKeys: children(secret, "Member").map((member) => attribute(member, "Name", source)),
    keyValuePair: children(pair, "Property").map(typed),
    actions,
    bindingTypes: [...new Set(actions.map((action) => action.bindingType))],
  };
}

function children(element: Element, name: string): Element[] {
  const value = element[name];
  return Array.isArray(value) ? value : [];
}

function attribute(element: Element, name: string, source: string): string {
  const value = element[name];
  if (typeof value !== "string") throw new SpecInputError(`${source}: an element lacks its ${name} attribute. The CSDL is damaged; fetch it again.`);
  return value;
}
