// What the browser tests share: a registryd started by tests/system/daemon.py
// (SQLite, HTTP only), regctl on its configuration, chromium, TOTP codes and
// the portal's login steps.
//
// Environment (set by CTest, tests/browser/CMakeLists.txt): PYTHON3,
// REGCTL, REGISTRYD, REG_TEST_TMP, REG_TEST_PG_URL_FILE, CHROMIUM,
// REG_BROWSER_OUT.
import { spawn, execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const out = process.env.REG_BROWSER_OUT || join(here, "out");
mkdirSync(out, { recursive: true });

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

// RFC 6238 over HMAC-SHA-1, the key in base32 (RFC 4648).
export function totp(secret, at = Date.now() / 1000) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of secret.replace(/ /g, "")) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 1000000).padStart(6, "0");
}

// A free loopback port: the browser sends Origin, which must be the
// origin of [http] base_url, so the address is known before the start.
function freePort() {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// registryd through daemon.py's command-line mode: it stops when our end of
// its standard input closes, so a crash of this script stops it too.
// `services` as registryd --only; `settings` more "section.key=value".
// The port is free when chosen, yet a test running beside this one may take
// it before registryd binds it: a daemon that ends before it is ready is
// started again on another port (a start that fails for another reason
// fails three times, and the last error is thrown).
export async function startDaemon(options = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDaemonOnce(options);
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

async function startDaemonOnce({ services = "http", settings = [] }) {
  const port = await freePort();
  const args = [join(here, "..", "system", "daemon.py"), "start", "--json", "--only", services,
    "--registrar", "REGA:secret-pw1", "--registrar", "REGB:secret-pw2",
    "--set", `http.listen=127.0.0.1:${port}`, "--set", `http.base_url=http://127.0.0.1:${port}`,
    // every login of a test comes from 127.0.0.1; the per-address gate
    // on password checks has its own test (system.portal)
    "--set", "http.password_burst=1000"];
  for (const s of settings) args.push("--set", s);
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.PYTHON3 || "python3", args, { stdio: ["pipe", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      const info = JSON.parse(line);
      resolve({ child, info, base: `http://${info.http_host}:${info.http_port}` });
    });
    child.once("exit", (code) => reject(new Error(`daemon.py exited with ${code}`)));
  });
}

// regctl on the daemon's configuration; its standard output.
export function regctl(info, ...args) {
  return execFileSync(process.env.REGCTL, ["--config", info.config, ...args],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    // root in CI containers: chromium's sandbox needs user namespaces
    args: ["--no-sandbox"],
  });
}

// A real SMTP listener (tests/system/smtpsink.py --json) on a free
// loopback port: sink.url for [mail] smtp; sink.mail(rcpt, subject)
// waits for the first message to rcpt whose subject contains `subject`
// and gives { from, to, subject, text } (the text decoded).
export function startSmtp() {
  const child = spawn(process.env.PYTHON3 || "python3",
    [join(here, "..", "system", "smtpsink.py"), "--json"], { stdio: ["pipe", "pipe", "inherit"] });
  const got = [];
  const waiters = [];
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const m = JSON.parse(line);
      if (m.url) {
        resolve({
          child, url: m.url, messages: got,
          mail(rcpt, subject = "", timeout = 10000) {
            const match = (x) => x.to.includes(rcpt) && x.subject.includes(subject);
            const found = got.find(match);
            if (found) return Promise.resolve(found);
            return new Promise((ok, fail) => {
              const timer = setTimeout(() => fail(new Error(
                `no mail to ${rcpt} about "${subject}" within ${timeout} ms; got: ` +
                JSON.stringify(got.map((x) => [x.to, x.subject])))), timeout);
              waiters.push({ match, ok: (x) => { clearTimeout(timer); ok(x); } });
            });
          },
        });
        return;
      }
      got.push(m);
      for (let i = waiters.length - 1; i >= 0; i--)
        if (waiters[i].match(m)) waiters.splice(i, 1)[0].ok(m);
    });
    child.once("exit", (code) => reject(new Error(`smtpsink.py exited with ${code}`)));
  });
}

// Runs body(browser, daemon) and then always closes chromium and stops the
// daemon (daemon.py stops registryd when its stdin closes), so no
// chromium or registryd outlives the test, whatever fails. With
// opts.smtp the registry's mail goes to a real SMTP listener, daemon.smtp
// (startSmtp); `regctl jobs run --force outbox-deliver` sends what waits.
export async function withPortal(opts, body) {
  const smtp = opts.smtp ? await startSmtp() : null;
  const settings = [...(opts.settings || [])];
  if (smtp) settings.push(`mail.smtp=${smtp.url}`, "mail.from=registry@nic.example");
  let daemon, browser;
  try {
    daemon = await startDaemon({ ...opts, settings });
    daemon.smtp = smtp;
    browser = await launch();
    await body(browser, daemon);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (daemon) {
      daemon.child.stdin.end();
      await new Promise((r) => (daemon.child.exitCode !== null ? r() : daemon.child.once("exit", r)));
    }
    if (smtp) {
      smtp.child.removeAllListeners("exit");
      smtp.child.kill();
    }
  }
}

// A page whose console messages (CSP refusals, failed loads) are collected
// in page.problems, for tests to assert there were none.
export async function newPage(browser, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, locale: "en-GB" });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  page.problems = [];
  page.on("console", (m) => page.problems.push(m.text()));
  page.on("response", (r) => {
    if (r.status() === 404) page.problems.push(`404 ${r.url()}`);
  });
  return page;
}

// The TOTP keys users enrolled, by login: a later login computes its code.
const secrets = new Map();
// The last TOTP step used per login: a code is taken once, so a second
// login within the same 30 s uses the next step's code.
const lastStep = new Map();

// Password, then the TOTP step (enrolling at the first login); ends on
// the dashboard.
export async function login(page, base, loginName, password) {
  await page.goto(`${base}/portal/login`);
  await page.getByLabel("Login name").fill(loginName);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/portal\/login\/(enrol|code)$/);
  if (page.url().endsWith("/enrol")) {
    const secret = (await page.locator("#totp-secret").innerText()).trim();
    secrets.set(loginName, secret);
  }
  let step = Math.floor(Date.now() / 30000);
  if (lastStep.has(loginName) && lastStep.get(loginName) >= step) step = lastStep.get(loginName) + 1;
  lastStep.set(loginName, step);
  await page.getByLabel("Code").fill(totp(secrets.get(loginName), step * 30));
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(`${base}/portal/`);
  await page.getByText(`Logged in as ${loginName}`).waitFor();
}

// Objects made over EPP as registrar `clid` (seed.py; one command a line).
// A refused command throws; the error's message ends with the server's
// answer (seed.py prints it), so a test can check which refusal it was.
export function seed(info, lines, clid = "REGA") {
  execFileSync(process.env.PYTHON3 || "python3",
    [join(here, "seed.py"), info.host, String(info.port), clid, info.registrars[clid]],
    { input: lines.join("\n") + "\n", stdio: ["pipe", "inherit", "pipe"] });
}

// The self-service site's way in for the a1 contact of `account`: the
// set-up link from regctl, a password chosen with it, then the login by
// `login` (handle or e-mail); ends on the start page.
export async function selfServiceIn(page, base, info, account, login, password) {
  const link = regctl(info, "account", "credentials", account, "--slot", "a1")
    .match(/^setup link\s+(\S+)$/m)[1];
  await page.goto(link);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("The same password again").fill(password);
  await page.getByRole("button", { name: "Save the password" }).click();
  await page.waitForURL(`${base}/self-service/login`);
  assert.equal(await page.locator("#flash").innerText(), "Your password is saved. Log in with it now.");
  await page.getByLabel("Contact handle or e-mail address").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${base}/self-service/`);
}

// Screenshot `name` at the page's width into the output directory.
export async function shot(page, name) {
  const width = page.viewportSize().width;
  await page.screenshot({ path: join(out, `${name}-${width >= 1000 ? "desktop" : "phone"}.png`), fullPage: true });
}

export { assert };
