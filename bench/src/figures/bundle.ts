// Figure 3: what each contender adds to a deployed app — esbuild's minified bundle of a minimal app
// that makes one authenticated call, raw and gzipped.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

export const BUNDLE_APPS = [
  { app: "node-http", contender: "node:http", note: "token and call by hand" },
  { app: "fetch", contender: "fetch", note: "token and call by hand" },
  { app: "graph-client", contender: "graph-client", note: "with @azure/identity" },
  { app: "kiota", contender: "kiota", note: "with @azure/identity" },
  { app: "sdk-identity", contender: "sdk", note: "with @azure/identity" },
  { app: "sdk-own-credential", contender: "sdk", note: "caller-supplied credential" },
  { app: "kiota-own-credential", contender: "kiota", note: "Kiota's runtime alone, caller-supplied credential" },
] as const;

export interface BundleRow {
  app: string;
  contender: string;
  note: string;
  bytes: number;
  gzipBytes: number;
}

export async function measureBundles(): Promise<BundleRow[]> {
  const rows: BundleRow[] = [];
  for (const { app, contender, note } of BUNDLE_APPS) rows.push({ app, contender, note, ...(await bundleApp(app)) });
  return rows;
}

/** One app of `bundles/` as figure 3 bundles it (esbuild --bundle --minify, node, ESM): its size raw and gzipped; `external` packages are left out. */
export async function bundleApp(app: string, external: string[] = []): Promise<{ bytes: number; gzipBytes: number }> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../../bundles/${app}.ts`, import.meta.url))],
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    target: "node22",
    write: false,
    logLevel: "silent",
    external,
  });
  const code = result.outputFiles[0]!.contents;
  return { bytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}
