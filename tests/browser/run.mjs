// Runs one browser test (argument: its file) after checking what it needs,
// so a missing chromium or `npm ci` fails the test with a message saying
// what to install instead of an import error (or a skip).
import { accessSync, constants, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
const missing = [];
if (!existsSync(join(here, "node_modules", "playwright-core")))
  missing.push(`playwright-core: run \`npm ci\` in ${here} (.ci/run does)`);
try {
  accessSync(chromium, constants.X_OK);
} catch {
  missing.push(`chromium at ${chromium}: apt-get install chromium`);
}
if (missing.length) {
  console.error(`browser test cannot run; missing:\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
await import(pathToFileURL(resolve(here, process.argv[2])).href);
