// The emulated target's consent page, answered over HTTP the way a browser submits it: GET the
// page, send its hidden fields and its cookie back with the chosen button. For tests that need a
// decision without a browser (the browser tests click the real buttons).

/** Opens `authorizationUrl` (the target's consent page), chooses Allow or Deny, and returns where the target redirects (`Location`). */
export async function answerConsentPage(authorizationUrl: string, decision: "allow" | "deny"): Promise<string> {
  const page = await fetch(authorizationUrl, { headers: { Accept: "text/html" }, redirect: "manual", signal: AbortSignal.timeout(10_000) });
  const markup = await page.text();
  if (page.status !== 200) throw new Error(`The consent page answered ${page.status}: ${markup.slice(0, 300)}`);
  const form = new URLSearchParams();
  for (const match of markup.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    form.set(match[1]!, match[2]!.replace(/&#(\d+);/g, (_entity, code: string) => String.fromCharCode(Number(code))));
  }
  form.set("decision", decision);
  const answer = await fetch(new URL("/authorize", authorizationUrl), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: (page.headers.get("set-cookie") ?? "").split(";", 1)[0]! },
    body: form.toString(),
    signal: AbortSignal.timeout(10_000),
  });
  await answer.body?.cancel();
  const location = answer.headers.get("location");
  if (answer.status !== 303 || !location) throw new Error(`The target answered ${answer.status} to ${decision} instead of redirecting.`);
  return location;
}
