import type * as NodeHttp from "node:http";
import { createRequire } from "node:module";

/**
 * `node:http`, loaded with `require`. Importing it as an ES module makes Node build an ESM facade
 * that reads every export, lazy ones included, and those load undici (Node's fetch and WebSocket
 * engine): about 50 ms of every start, for something the emulator needs only later, if at all.
 */
export const nodeHttp = createRequire(import.meta.url)("node:http") as typeof NodeHttp;
