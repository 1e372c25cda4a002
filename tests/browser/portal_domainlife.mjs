// Browser test of a domain's life in the portal (issue 16) against a real
// registryd: registered from the create form (a registry refusal shown at
// its field first), its name servers changed, transferred out to another
// registrar (auth info, the sponsor approves) and back in, then deleted
// with the registrant's confirmation (R7: the link of the mail, confirmed
// on the registry's page) and restored. Screenshots of the create form
// and a domain page at desktop and phone width go to REG_BROWSER_OUT.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, PHONE, login, newPage, out, regctl, shot, withPortal } from "./lib.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const PASSWORD = "portal-password-1";

function seed(info) {
  const lines = ["contact REGA:HOLDER holder@example.test", "contact REGA:TECH tech@example.test",
    "host ns1.example.net", "host ns2.example.net"];
  execFileSync(process.env.PYTHON3 || "python3",
    [join(here, "seed.py"), info.host, String(info.port), "REGA", info.registrars.REGA],
    { input: lines.join("\n") + "\n", stdio: ["pipe", "inherit", "inherit"] });
}

// The confirmation link of the newest mail about `domain` in the outbox
// (SQLite: the daemon's var/registry.db).
function confirmLink(info, domain) {
  const db = join(info.dir, "var", "registry.db");
  readdirSync(join(info.dir, "var")); // fails clearly if the layout changed
  const py = "import sqlite3,sys,re\n" +
    "rows=sqlite3.connect(sys.argv[1]).execute(\"SELECT body FROM outbox WHERE body LIKE ? ORDER BY id DESC\", ('%'+sys.argv[2]+'%',)).fetchall()\n" +
    "links=[m for (b,) in rows for m in re.findall(r'https?://\\S+/confirm/[A-Za-z0-9_-]+', b)]\n" +
    "print(links[0] if links else '')";
  return execFileSync(process.env.PYTHON3 || "python3", ["-c", py, db, domain], { encoding: "utf8" }).trim();
}

await withPortal({ services: "epp,http", settings: ["transfer.mode=pending"] }, async (browser, { info, base }) => {
  seed(info);
  regctl(info, "price", "set", "create", "45.00", "--years", "1", "--from", "2000-01-01T00:00:00Z");
  regctl(info, "credit", "add", "REGA", "1000.00", "--text", "test top-up");
  regctl(info, "portal-user", "add", "REGA", "ava", "--email", "ava@example.test",
    "--role", "registrar,nameserver_manager", "--password", PASSWORD);
  regctl(info, "portal-user", "add", "REGB", "bob", "--email", "bob@example.test",
    "--role", "registrar", "--password", PASSWORD);
  const a = await newPage(browser);
  await login(a, base, "ava", PASSWORD);

  // ---- create: a refusal at its field, then registered
  await a.getByRole("link", { name: "Domains", exact: true }).click();
  await a.getByRole("link", { name: "Register a domain" }).click();
  await a.waitForURL(`${base}/portal/domains/new`);
  assert.equal(await a.getByLabel("Years").locator("option:checked").innerText(), "1 (45.00 DKK)");
  await a.getByLabel("Name", { exact: true }).fill("life.dk");
  await a.getByLabel("Registrant", { exact: true }).fill("REGA:NOSUCH");
  await a.getByLabel("Tech contacts").fill("REGA:TECH");
  await a.getByLabel("Name servers").fill("ns1.example.net");
  await a.getByLabel("Managed by").selectOption("registrar");
  await a.getByLabel(/The registrant has accepted the registry's terms/).check();
  await shot(a, "portal-domain-new");
  await a.getByRole("button", { name: "Register" }).click();
  await a.waitForURL(/\/portal\/domains\/new\?/);
  assert.equal(await a.locator("#registrant + .invalid-feedback").innerText(), "contact REGA:NOSUCH does not exist");
  assert.equal(await a.getByLabel("Name", { exact: true }).inputValue(), "life.dk"); // kept
  await a.getByLabel("Registrant", { exact: true }).fill("REGA:HOLDER");
  await a.getByRole("button", { name: "Register" }).click();
  await a.waitForURL(`${base}/portal/domains/life.dk`);
  assert.match(await a.locator("#done").innerText(), /^life\.dk is registered until \d{4}-/);
  assert.equal(await a.locator("#f-contacts").innerText(), "tech: REGA:TECH");
  assert.equal(await a.locator("#f-management").innerText(), "registrar");

  // ---- name servers
  await a.getByLabel("Name servers").fill("ns1.example.net\nns2.example.net");
  await a.getByRole("button", { name: "Save name servers" }).click();
  await a.waitForURL(`${base}/portal/domains/life.dk`);
  assert.equal(await a.locator("#f-ns").innerText(), "ns1.example.net, ns2.example.net");
  await shot(a, "portal-domain-life");

  // ---- transfer out to REGB: the auth info, B asks, A approves
  await a.getByLabel("New auth info").fill("Life-pw-2026");
  await a.getByRole("button", { name: "Set auth info" }).click();
  await a.waitForURL(`${base}/portal/domains/life.dk`);
  const b = await newPage(browser);
  await login(b, base, "bob", PASSWORD);
  async function request(page, pw) {
    await page.goto(`${base}/portal/domains`);
    await page.getByRole("link", { name: "Transfer a domain to you" }).click();
    await page.locator("#name").fill("life.dk");
    await page.getByLabel("Auth info or one-time password").fill(pw);
    await page.getByRole("button", { name: "Request the transfer" }).click();
    await page.waitForURL(`${base}/portal/transfer`);
    assert.match(await page.locator("#done").innerText(), /^The transfer of life\.dk was requested/);
  }
  async function approve(page, to) {
    await page.goto(`${base}/portal/domains/life.dk`);
    assert.match(await page.locator("#transfer-pending").innerText(), new RegExp(`^${to} asked for this domain`));
    await page.getByRole("button", { name: "Approve the transfer" }).click();
    await page.waitForURL(`${base}/portal/domains`);
    assert.equal(await page.locator("#done").innerText(), `life.dk was transferred to ${to}.`);
  }
  await request(b, "Life-pw-2026");
  await approve(a, "REGB");
  await b.goto(`${base}/portal/domains/life.dk`);
  assert.equal(await b.locator("#f-sponsor").innerText(), "REGB");

  // ---- and back in: B gives the registrant new auth info, A asks, B approves
  await b.getByRole("button", { name: "Generate new auth info" }).click();
  await b.waitForURL(`${base}/portal/domains/life.dk`);
  const pw = (await b.locator("#done").innerText()).match(/auth info is (\S+) /)[1];
  await request(a, pw);
  await approve(b, "REGA");
  await a.goto(`${base}/portal/domains/life.dk`);
  assert.equal(await a.locator("#f-sponsor").innerText(), "REGA");

  // ---- delete with the registrant's confirmation (R7), then restore
  await a.getByRole("button", { name: "Ask the registrant to confirm the deletion" }).click();
  await a.waitForURL(`${base}/portal/domains/life.dk`);
  assert.equal(await a.locator("#done").innerText(), "The registrant was asked by e-mail to confirm the deletion.");
  assert.equal(await a.locator("#f-pending").innerText(), "delete");
  const link = confirmLink(info, "life.dk");
  assert.match(link, /\/confirm\//);
  const holder = await newPage(browser);
  await holder.goto(link.replace(/^https?:\/\/[^/]+/, base));
  await holder.getByRole("button", { name: "Confirm" }).click();
  await holder.waitForLoadState();
  await a.reload();
  assert.match(await a.locator("#f-status").innerText(), /redemptionPeriod/);
  await a.getByRole("button", { name: "Restore the domain" }).click();
  await a.waitForURL(`${base}/portal/domains/life.dk`);
  assert.equal(await a.locator("#done").innerText(), "The domain was restored.");
  assert.doesNotMatch(await a.locator("#f-status").innerText(), /redemptionPeriod/);
  assert.deepEqual(a.problems, []);
  assert.deepEqual(b.problems, []);

  // ---- the phone's view of the create form and a domain page
  const phone = await newPage(browser, PHONE);
  await login(phone, base, "ava", PASSWORD);
  for (const [path, name] of [["/portal/domains/new", "portal-domain-new"], ["/portal/domains/life.dk", "portal-domain-life"]]) {
    await phone.goto(`${base}${path}`);
    await shot(phone, name);
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= PHONE.width, `${path} is ${wide}px wide`);
  }
  assert.deepEqual(phone.problems, []);
  console.log(`ok: a domain's life in chromium; screenshots in ${out}`);
});
