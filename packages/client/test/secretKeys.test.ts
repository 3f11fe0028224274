import { readFileSync } from "node:fs";
import { JsonParseNode, JsonSerializationWriter } from "@microsoft/kiota-serialization-json";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  createSynchronizationSecretKeyStringValuePairFromDiscriminatorValue,
  serializeAcquireAccessTokenPostRequestBody,
  SynchronizationSecretObject,
  type SynchronizationSecret,
  type SynchronizationSecretKeyStringValuePair,
} from "../src/index.js";

interface Fragment {
  components: { schemas: Record<string, { enum?: string[] }> };
}
const fragment = parse(readFileSync(new URL("../../../openapi/acquire-access-token.yaml", import.meta.url), "utf8")) as Fragment;
const fragmentKeys = fragment.components.schemas["microsoft.graph.synchronizationSecret"]!.enum!;
const generatedKeys = Object.values(SynchronizationSecretObject) as SynchronizationSecret[];

describe("the 45 synchronization secret keys", () => {
  it("are generated in Graph's order from the fragment", () => {
    expect(fragmentKeys).toHaveLength(45);
    expect(generatedKeys).toEqual(fragmentKeys);
  });

  it.each(generatedKeys)("%s round-trips through JSON serialization", (key) => {
    const value = `value of ${key} with "quotes", \\ and ünïcødé`;
    const writer = new JsonSerializationWriter();
    writer.writeObjectValue(undefined, { credentials: [{ key, value }] }, serializeAcquireAccessTokenPostRequestBody);
    const json = new TextDecoder().decode(writer.getSerializedContent());

    expect(JSON.parse(json)).toEqual({ credentials: [{ key, value }] });

    const parsed = new JsonParseNode(JSON.parse(json)).getChildNode("credentials")!
      .getCollectionOfObjectValues<SynchronizationSecretKeyStringValuePair>(createSynchronizationSecretKeyStringValuePairFromDiscriminatorValue);
    expect(parsed).toEqual([{ key, value }]);
  });
});
