import { join } from "node:path";
import type { Page } from "playwright-core";

/** Where the emulator README's pictures live. */
const docsDirectory = join(import.meta.dirname, "../../../emulator/docs");

/**
 * Writes a screenshot of `page` for the emulator README, only when asked
 * (`npm run screenshots -w @graph-sync/browser-tests`): a normal test run changes no committed file.
 */
export async function screenshotForReadme(page: Page, name: string): Promise<void> {
  if (process.env["GRAPH_SYNC_UPDATE_SCREENSHOTS"] !== "1") return;
  await page.screenshot({ path: join(docsDirectory, `${name}.png`), fullPage: true });
}
