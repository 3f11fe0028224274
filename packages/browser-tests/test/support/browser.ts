import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** Debian's chromium package: the only browser these tests use (nothing downloads one). */
export const chromiumPath = "/usr/bin/chromium";

/** Every wait on the page is bounded by this; a test that waits longer is broken. */
const pageTimeoutInMs = 15_000;

/**
 * Launches the system's headless Chromium. `--no-sandbox`: CI runs as root, where Chromium's
 * sandbox cannot start. A missing browser fails the test with what to install, never skips it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: install Debian's chromium package (apt-get install -y chromium); .ci/run does so.`);
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox"], timeout: 30_000 });
}

/**
 * A fresh browser profile (no cookies) with one page. The login host's certificate is signed by
 * the emulator's own CA, which this throwaway profile does not know, so certificate errors are
 * ignored here; a person's browser shows a warning the first time instead (see the emulator README).
 */
export async function openPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; dialogs: string[] }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 900, height: 760 } });
  const page = await context.newPage();
  page.setDefaultTimeout(pageTimeoutInMs);
  page.setDefaultNavigationTimeout(pageTimeoutInMs);
  // A script that ran would most likely show itself with alert(): record any dialog.
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { context, page, dialogs };
}
