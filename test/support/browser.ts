/**
 * One headless Chromium per test file, driven by playwright-core: Debian's /usr/bin/chromium
 * (`.ci/run` installs it), a fresh profile directory, nothing reaching out to Google's services.
 * A missing browser fails the test with how to install it: CI has it, so a skip would only hide
 * that the docs page went untested.
 */
import fs from "node:fs";
import { after, before } from "node:test";
import { type BrowserContext, chromium } from "playwright-core";
import { tempDir } from "./databases.js";

export const CHROMIUM = process.env.VETTED_TEST_CHROMIUM ?? "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the docs page's browser test needs Debian's Chromium (apt-get install -y chromium; .ci/run installs it).`,
    );
  }
  const profile = tempDir("vetted-chromium-");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Registers before/after hooks in the current suite; the returned function gives the browser. */
export function useBrowser(): () => BrowserContext {
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("browser not launched");
    return browser.context;
  };
}
