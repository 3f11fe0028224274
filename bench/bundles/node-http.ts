// Minimal app: one authenticated acquireAccessToken call with node:https / node:http only.
import { request } from "node:https";

const env = process.env as Record<string, string>;
function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: "POST", headers }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}
const login = await post(
  `https://login.microsoftonline.com/${env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
  { "content-type": "application/x-www-form-urlencoded" },
  new URLSearchParams({
    grant_type: "client_credentials",
    client_id: env.AZURE_CLIENT_ID!,
    client_secret: env.AZURE_CLIENT_SECRET!,
    scope: "https://graph.microsoft.com/.default",
  }).toString(),
);
const token = (JSON.parse(login.text) as { access_token: string }).access_token;
const answer = await post(
  `https://graph.microsoft.com/v1.0/servicePrincipals/${env.SERVICE_PRINCIPAL_ID}/synchronization/acquireAccessToken`,
  { authorization: `Bearer ${token}`, "content-type": "application/json" },
  JSON.stringify({ credentials: [{ key: "Oauth2AuthorizationCode", value: env.AUTHORIZATION_CODE }] }),
);
console.log(answer.status);
