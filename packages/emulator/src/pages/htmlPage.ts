import { createHash } from "node:crypto";
import type { RenderedResponse } from "../http/host.js";

// The emulator's few pages a person clicks (the target's consent page, the login host's
// /devicelogin) are rendered on the server, with no script at all: the Content-Security-Policy
// allows none, the one stylesheet is allowed by its hash, and every value that came from a request
// goes through `html` (or `attribute`) before it reaches the markup.

/** Escapes text for an HTML text node or a double-quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Markup that is already safe: built from constants and escaped values only. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/**
 * A template tag that escapes every interpolated value unless it is {@link SafeHtml} (or an array
 * of them), so that a page cannot forget to escape one.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let markup = strings[0] ?? "";
  values.forEach((value, index) => {
    markup += renderValue(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(markup);
}

function renderValue(value: unknown): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(renderValue).join("");
  if (value === undefined || value === null || value === false) return "";
  return escapeHtml(String(value));
}

const styles = `
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;color:#1b1b1b;margin:0}
main{max-width:440px;margin:48px auto;background:#fff;box-shadow:0 2px 6px rgba(0,0,0,.2);padding:44px}
.brand{font-size:15px;color:#5e5e5e;margin:0 0 16px}
h1{font-size:24px;font-weight:600;margin:0 0 16px}
p,li,label{font-size:15px;line-height:1.45}
.facts{background:#f7f7f7;padding:12px 16px;margin:16px 0;word-break:break-all}
.facts dt{font-size:13px;color:#5e5e5e}.facts dd{margin:0 0 8px}
input[type=text]{width:100%;box-sizing:border-box;font-size:17px;padding:8px;border:0;border-bottom:1px solid #666;letter-spacing:2px}
.account{display:block;border:1px solid #ddd;padding:10px 12px;margin:8px 0}
.actions{display:flex;gap:8px;justify-content:flex-end;margin-top:24px}
button{font-size:15px;padding:8px 20px;min-width:108px;border:1px solid #8a8a8a;background:#ccc;cursor:pointer}
button.primary{background:#0067b8;border-color:#0067b8;color:#fff}
.problem{border-left:4px solid #c50f1f;padding-left:12px}
.note{font-size:13px;color:#5e5e5e;margin-top:24px}
`.trim();

const styleHash = createHash("sha256").update(styles, "utf8").digest("base64");

/** What a page needs besides its content. */
export interface PageOptions {
  /** The document title and the page's heading. */
  title: string;
  /** The line above the heading naming who shows the page ("Contoso provisioning target"). */
  brand: string;
  body: SafeHtml;
  status?: number;
  /**
   * Origins (besides the page's own) that its forms may end up at: a form's POST answered with a
   * redirect counts as the form's action for CSP, so the consent page names the redirect URI's origin.
   */
  formTargets?: readonly string[];
  /** Extra headers (Set-Cookie). */
  headers?: Readonly<Record<string, string>>;
}

/** The Content-Security-Policy every page is sent with. */
export function contentSecurityPolicy(formTargets: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'none'",
    `style-src 'sha256-${styleHash}'`,
    `form-action 'self'${formTargets.map((origin) => ` ${origin}`).join("")}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/** A whole page: security headers, never cached, no referrer (the URL may carry a state or code). */
export function renderPage(options: PageOptions): RenderedResponse {
  const body = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title}</title>
<style>${new SafeHtml(styles)}</style>
</head>
<body>
<main>
<p class="brand">${options.brand}</p>
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>
`;
  return {
    status: options.status ?? 200,
    headers: {
      ...options.headers,
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": contentSecurityPolicy(options.formTargets),
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "no-store",
    },
    body: body.markup,
  };
}

/** True when the client asked for a page (a browser) rather than JSON (a script). */
export function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && /\btext\/html\b/i.test(accept);
}
