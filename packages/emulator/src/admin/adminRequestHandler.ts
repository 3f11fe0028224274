import type { IncomingMessage } from "node:http";
import { accessConfigSchema, resolveAccessConfig, type AccessConfig } from "../accessConfig.js";
import { createPayloadValidator } from "../payloadValidation.js";
import { faultConfigSchema, resolveFaultConfig, type FaultConfig, type FaultConfigInput } from "../faults/faultConfig.js";
import { parseBoundedJson, UnreadableJsonError } from "../boundedJson.js";
import { sendJson, serveRequests, type RequestHandler } from "../http/host.js";
import { urlOfRequest } from "../http/requestTarget.js";
import { mediaTypeOf, readRequestBody, RequestBodyTooLargeError } from "../http/incomingRequest.js";
import type { EmulatorLogger } from "../logger.js";
import type { RequestLog } from "../http/requestLog.js";
import { maskState } from "../state/maskedState.js";
import { seedRequestSchema, type SeedRequest, type SeedResult } from "../state/seed.js";
import type { EmulatorStore } from "../state/store.js";
import {
  resolveThrottlingConfig,
  throttlingConfigSchema,
  type ThrottlingConfig,
} from "../throttling/throttlingConfig.js";
import type { DeviceCodeSummary } from "../login/deviceCodes.js";
import { AdminError, adminFormat } from "./adminErrors.js";
import { whyNotLocal } from "./localCallers.js";

const maxAdminBodyInBytes = 1024 * 1024;

/** What `POST /reset` resets to: the state as it was when the emulator started, or nothing. */
export type ResetTarget = "initial" | "empty";

export interface AdminDependencies {
  store: EmulatorStore;
  requestLog: RequestLog;
  logger: EmulatorLogger;
  seed: (request: SeedRequest) => Promise<SeedResult>;
  reset: (to: ResetTarget) => Promise<void>;
  throttling: { get: () => ThrottlingConfig; set: (config: ThrottlingConfig) => void };
  faults: { get: () => FaultConfig; set: (config: FaultConfig) => void };
  access: { get: () => AccessConfig; set: (config: AccessConfig) => void };
  deviceCodes: {
    list: () => DeviceCodeSummary[];
    approve: (userCode: string, user: string) => DeviceCodeSummary;
    decline: (userCode: string) => DeviceCodeSummary;
  };
}

const validateSeed = createPayloadValidator<SeedRequest>(seedRequestSchema, "seed");
const validateThrottling = createPayloadValidator<Partial<ThrottlingConfig>>(throttlingConfigSchema, "throttling");
const validateFaults = createPayloadValidator<FaultConfigInput>(faultConfigSchema, "faults");
const validateAccess = createPayloadValidator<Partial<AccessConfig>>(accessConfigSchema, "access");
const validateApproval = createPayloadValidator<{ userCode: string; user: string }>(
  {
    type: "object",
    additionalProperties: false,
    required: ["userCode", "user"],
    properties: { userCode: { type: "string", minLength: 1, maxLength: 64 }, user: { type: "string", minLength: 1, maxLength: 256 } },
  },
  "approval",
);
const validateDecline = createPayloadValidator<{ userCode: string }>(
  { type: "object", additionalProperties: false, required: ["userCode"], properties: { userCode: { type: "string", minLength: 1, maxLength: 64 } } },
  "decline",
);
const validateReset = createPayloadValidator<{ to?: ResetTarget }>(
  { type: "object", additionalProperties: false, properties: { to: { enum: ["initial", "empty"] } } },
  "reset",
);

type Route = (request: IncomingMessage, url: URL, dependencies: AdminDependencies) => Promise<{ status: number; body?: unknown }>;

/**
 * The admin API: JSON over HTTP on its own loopback port, apart from the Graph and login hosts so
 * test scaffolding can never be mistaken for Graph. Secret values in `GET /state` are masked.
 */
const routes: Record<string, Partial<Record<string, Route>>> = {
  "/": {
    GET: async () => ({
      status: 200,
      body: {
        endpoints: [
          "GET /state",
          "POST /seed",
          "POST /reset",
          "GET /requests",
          "DELETE /requests",
          "GET /throttling",
          "PUT /throttling",
          "GET /faults",
          "PUT /faults",
          "GET /access",
          "PUT /access",
          "GET /device-codes",
          "POST /device-codes/approve",
          "POST /device-codes/decline",
        ],
      },
    }),
  },
  "/state": {
    GET: async (_request, _url, { store }) => ({ status: 200, body: maskState(store.toDocument()) }),
  },
  "/seed": {
    POST: async (request, _url, dependencies) => {
      const body = validateSeed(await readJson(request));
      return { status: 200, body: await dependencies.seed(body) };
    },
  },
  "/reset": {
    POST: async (request, _url, dependencies) => {
      const body = validateReset((await readJson(request, { optional: true })) ?? {});
      await dependencies.reset(body.to ?? "initial");
      return { status: 204 };
    },
  },
  "/requests": {
    GET: async (_request, url, { requestLog }) => {
      const limit = url.searchParams.get("limit");
      if (limit !== null && !/^\d+$/.test(limit)) throw new AdminError(400, "invalidLimit", "limit must be a non-negative integer.");
      return { status: 200, body: requestLog.list(limit === null ? undefined : Number(limit)) };
    },
    DELETE: async (_request, _url, { requestLog }) => {
      requestLog.clear();
      return { status: 204 };
    },
  },
  "/throttling": {
    GET: async (_request, _url, { throttling }) => ({ status: 200, body: throttling.get() }),
    PUT: async (request, _url, { throttling }) => {
      throttling.set(resolveThrottlingConfig(validateThrottling(await readJson(request))));
      return { status: 200, body: throttling.get() };
    },
  },
  "/faults": {
    GET: async (_request, _url, { faults }) => ({ status: 200, body: faults.get() }),
    PUT: async (request, _url, { faults }) => {
      faults.set(resolveFaultConfig(validateFaults(await readJson(request))));
      return { status: 200, body: faults.get() };
    },
  },
  "/access": {
    GET: async (_request, _url, { access }) => ({ status: 200, body: access.get() }),
    PUT: async (request, _url, { access }) => {
      access.set(resolveAccessConfig(validateAccess(await readJson(request))));
      return { status: 200, body: access.get() };
    },
  },
  "/device-codes": {
    GET: async (_request, _url, { deviceCodes }) => ({ status: 200, body: deviceCodes.list() }),
  },
  "/device-codes/approve": {
    POST: async (request, _url, { deviceCodes }) => {
      const { userCode, user } = validateApproval(await readJson(request));
      return { status: 200, body: deviceCodes.approve(userCode, user) };
    },
  },
  "/device-codes/decline": {
    POST: async (request, _url, { deviceCodes }) => {
      const { userCode } = validateDecline(await readJson(request));
      return { status: 200, body: deviceCodes.decline(userCode) };
    },
  },
};

export function createAdminRequestHandler(dependencies: AdminDependencies): RequestHandler {
  return serveRequests(
    adminFormat,
    async (request, response) => {
      const { status, body } = await serve(request, dependencies);
      if (body === undefined) response.writeHead(status).end();
      else sendJson(response, status, body);
    },
    dependencies.logger,
  );
}

async function serve(request: IncomingMessage, dependencies: AdminDependencies) {
  const notLocal = whyNotLocal(request);
  if (notLocal) throw new AdminError(403, "forbidden", notLocal);
  const url = urlOfRequest(request);
  const methods = routes[url.pathname];
  if (!methods) throw new AdminError(404, "notFound", `No admin endpoint at '${url.pathname.slice(0, 200)}'. GET / lists them.`);
  const route = methods[request.method ?? ""];
  if (!route) {
    const allowed = Object.keys(methods).join(", ");
    throw new AdminError(405, "methodNotAllowed", `${url.pathname} accepts ${allowed}.`, { Allow: allowed });
  }
  return route(request, url, dependencies);
}

async function readJson(request: IncomingMessage, options: { optional?: boolean } = {}): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readRequestBody(request, maxAdminBodyInBytes);
  } catch (error) {
    if (error instanceof RequestBodyTooLargeError) {
      throw new AdminError(413, "bodyTooLarge", error.message);
    }
    throw error;
  }
  if (raw.length === 0 && options.optional) return undefined;
  if (mediaTypeOf(request.headers["content-type"]) !== "application/json") {
    throw new AdminError(400, "invalidRequest", "Send the body as application/json.");
  }
  try {
    return parseBoundedJson(raw.toString("utf8"));
  } catch (error) {
    if (!(error instanceof UnreadableJsonError)) throw error;
    throw new AdminError(400, "invalidRequest", `The body is ${error.reason === "depth" ? error.message : "not valid JSON"}.`);
  }
}
