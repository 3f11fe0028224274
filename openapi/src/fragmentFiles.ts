/** The committed fragments in openapi/, by API version. Only v1.0's generates code; beta's feeds the deprecation facts. */
export const FRAGMENT_FILES = { "v1.0": "acquire-access-token.yaml", beta: "acquire-access-token.beta.yaml" } as const;
