import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { SchemaObject } from "ajv";
import { parse } from "yaml";
import { accessConfigSchema } from "../accessConfig.js";
import { createPayloadValidator } from "../payloadValidation.js";
import type { EmulatorOptions } from "../emulatorOptions.js";
import { faultConfigSchema } from "../faults/faultConfig.js";
import { seedRequestSchema, type SeedRequest } from "../state/seed.js";
import { throttlingConfigSchema } from "../throttling/throttlingConfig.js";

/** The settings a config file may hold: the serializable part of {@link EmulatorOptions}. */
export type ConfigFileSettings = Omit<EmulatorOptions, "logger" | "clock">;

const port = { type: "integer", minimum: 0, maximum: 65535 } as const;
const positiveInteger = { type: "integer", minimum: 1 } as const;

const configFileSchema: SchemaObject = {
  type: "object",
  additionalProperties: false,
  properties: {
    port,
    graphHttpsPort: port,
    loginPort: port,
    adminPort: port,
    targetPort: port,
    dataDir: { type: "string", minLength: 1 },
    seedDemo: { type: "boolean" },
    autoConsent: { type: "boolean" },
    throttling: throttlingConfigSchema,
    faults: faultConfigSchema,
    access: accessConfigSchema,
    seed: seedRequestSchema,
    deviceCodeLifetimeInSeconds: positiveInteger,
    deviceCodePollingIntervalInSeconds: positiveInteger,
    maxRequestBodyInBytes: positiveInteger,
    authorizationCodeLifetimeInSeconds: positiveInteger,
    codeExchangeTimeoutInMs: positiveInteger,
    requestLogCapacity: positiveInteger,
    connectionLimits: {
      type: "object",
      additionalProperties: false,
      properties: {
        headersTimeoutInMs: positiveInteger,
        requestTimeoutInMs: positiveInteger,
        tlsHandshakeTimeoutInMs: positiveInteger,
      },
    },
  },
};

const validateConfigFile = createPayloadValidator<ConfigFileSettings>(configFileSchema, "config");

/**
 * Reads a YAML (or JSON, which is YAML too) config file. A relative `dataDir` is taken relative to
 * the file, so a config checked into a repository works from any working directory.
 */
export async function readConfigFile(path: string): Promise<ConfigFileSettings> {
  const text = await readFile(path, "utf8");
  const settings = validateConfigFile(parse(text) ?? {});
  if (settings.dataDir) settings.dataDir = resolve(dirname(path), settings.dataDir);
  return settings;
}

const validateSeedFile = createPayloadValidator<SeedRequest>(seedRequestSchema, "seed");

/** Reads a YAML or JSON file holding what `POST /seed` takes (`--seed`). */
export async function readSeedFile(path: string): Promise<SeedRequest> {
  return validateSeedFile(parse(await readFile(path, "utf8")) ?? {});
}
