// Browser test of the portal's domains (issue 16) against a real registryd
// whose objects were made over EPP (seed.py): the list, its search and
// paging, the CSV export of the whole portfolio, a domain's page (U-label
// and A-label) with its data and history, the name-server change refused
// without the Name server manager role (no form, a POST gets 403) and
// allowed right after `regctl portal-user roles` grants it, EPP's refusal
// shown next to the field, renewal, auth info, and the bulk replacement of
// a name server with its confirmation count. Screenshots of the list and a
// domain page at desktop and phone width go to REG_BROWSER_OUT.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, DESKTOP, PHONE, login, newPage, out, regctl, shot, withPortal } from "./lib.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const PASSWORD = "portal-password-1";
const FILLERS = 55;

function seed(info) {
  const lines = ["contact REGA:HOLDER holder@example.test", "contact REGA:TECH tech@example.test",
    "host ns1.example.net", "host ns2.example.net", "host ns3.example.net",
    "domain alpha.dk REGA:HOLDER ns1.example.net tech=REGA:TECH",
    "domain beta.dk REGA:HOLDER ns1.example.net,ns2.example.net",
    "domain gamma.dk REGA:HOLDER",
    "domain blåbær.dk REGA:HOLDER ns2.example.net"];
  for (let i = 0; i < FILLERS; i++) lines.push(`domain filler-${String(i).padStart(2, "0")}.dk REGA:HOLDER ns3.example.net`);
  execFileSync(process.env.PYTHON3 || "python3",
    [join(here, "seed.py"), info.host, String(info.port), "REGA", info.registrars.REGA],
    { input: lines.join("\n") + "\n", stdio: ["pipe", "inherit", "inherit"] });
}

const TOTAL = 4 + FILLERS;

await withPortal({ services: "epp,http" }, async (browser, { info, base }) => {
  seed(info);
  regctl(info, "portal-user", "add", "REGA", "nina", "--email", "nina@example.test",
    "--role", "registrar", "--password", PASSWORD);
  const page = await newPage(browser);
  await login(page, base, "nina", PASSWORD);

  // ---- the list: paging and search
  await page.getByRole("link", { name: "Domains", exact: true }).click();
  await page.waitForURL(`${base}/portal/domains`);
  assert.equal(await page.locator("#found").innerText(), `${TOTAL} domains match; page 1 of 2.`);
  assert.equal(await page.locator("#domains tbody tr").count(), 50);
  await shot(page, "portal-domains");
  await page.getByRole("link", { name: "Next page" }).click();
  await page.waitForURL(/page=2$/);
  assert.equal(await page.locator("#domains tbody tr").count(), TOTAL - 50);
  await page.goto(`${base}/portal/domains`);
  await page.getByLabel("Name contains").fill("alp");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/name=alp/);
  assert.equal(await page.locator("#domains tbody tr").count(), 1);
  const alpha = page.locator("#domains tbody tr").first();
  assert.equal(await alpha.locator("td").nth(1).innerText(), "alpha.dk");
  assert.equal(await alpha.locator("td").nth(2).innerText(), "ok");
  assert.equal(await alpha.locator("td").nth(3).innerText(), "REGA:HOLDER");
  assert.equal(await alpha.locator("td").nth(5).innerText(), "ns1.example.net");
  await page.getByLabel("Name contains").fill("");
  await page.getByLabel("Status").selectOption("inactive");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/status=inactive/);
  assert.equal(await page.locator("#domains tbody tr td:nth-child(2)").allInnerTexts() + "", "gamma.dk");
  await page.getByLabel("Status").selectOption("");
  await page.getByLabel("Contact handle").fill("rega:tech");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/contact=rega/);
  assert.equal(await page.locator("#domains tbody tr td:nth-child(2)").allInnerTexts() + "", "alpha.dk");
  const year = new Date().getUTCFullYear();
  await page.goto(`${base}/portal/domains?from=${year + 2}-01-01`);
  assert.equal(await page.locator("#found").innerText(), "No domains match.");
  await page.goto(`${base}/portal/domains?to=${year + 2}-01-01`);
  assert.match(await page.locator("#found").innerText(), new RegExp(`^${TOTAL} domains match`));

  // ---- the CSV export: every domain, not just a page
  await page.goto(`${base}/portal/domains`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#export").click()]);
  assert.equal(download.suggestedFilename(), "domains-REGA.csv");
  const csv = readFileSync(await download.path(), "utf8").split("\r\n").filter((l) => l);
  assert.equal(csv[0], "name,uname,statuses,registrant,admin,tech,billing,nameservers,created,expires");
  assert.equal(csv.length, TOTAL + 1);
  const row = csv.find((l) => l.startsWith("alpha.dk,"));
  assert.match(row, /^alpha\.dk,alpha\.dk,ok,REGA:HOLDER,,REGA:TECH,,ns1\.example\.net,\d{4}-\d\d-\d\dT[\d:]+Z,\d{4}-/);
  assert.match(csv.find((l) => l.startsWith("xn--")), /^xn--blbr-roah\.dk,blåbær\.dk,ok,/);
  assert.match(csv.find((l) => l.startsWith("gamma.dk,")), /^gamma\.dk,gamma\.dk,inactive,/);

  // ---- a domain's page, by U-label and by A-label
  await page.goto(`${base}/portal/domains/blåbær.dk`);
  assert.equal(await page.locator("#f-name").innerText(), "blåbær.dk");
  assert.equal(await page.locator("#f-alabel").innerText(), "xn--blbr-roah.dk");
  await page.goto(`${base}/portal/domains/xn--blbr-roah.dk`);
  assert.equal(await page.locator("#f-name").innerText(), "blåbær.dk");
  assert.equal((await page.goto(`${base}/portal/domains/nosuch.dk`)).status(), 404);
  page.problems.length = 0; // that 404 was wanted
  await page.goto(`${base}/portal/domains`);
  await page.getByRole("link", { name: "alpha.dk" }).click();
  await page.waitForURL(`${base}/portal/domains/alpha.dk`);
  assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), "alpha.dk");
  assert.match(await page.locator("#f-roid").innerText(), /^D\d+-/);
  assert.equal(await page.locator("#f-status").innerText(), "ok");
  assert.equal(await page.locator("#f-registrant").innerText(), "REGA:HOLDER");
  assert.equal(await page.locator("#f-contacts").innerText(), "tech: REGA:TECH");
  assert.equal(await page.locator("#f-ns").innerText(), "ns1.example.net");
  assert.equal(await page.locator("#f-sponsor").innerText(), "REGA");
  assert.match(await page.locator("#f-created").innerText(), /^\d{4}-.*Z by REGA$/);
  assert.equal(await page.locator("#f-authinfo").innerText(), "none");
  const history = page.locator("#history tbody tr");
  assert.equal(await history.count(), 1);
  assert.deepEqual(await history.first().locator("td").allInnerTexts().then((t) => [t[0], t[2], t[3], t[4]]),
    ["1", "create", "REGA", "epp"]);

  // ---- R32: without the role no form, and a POST is refused
  assert.equal(await page.locator("#ns-form").count(), 0);
  await page.locator("#ns-role").waitFor();
  const csrf = await page.locator("form input[name=csrf]").first().inputValue();
  const refused = await page.request.post(`${base}/portal/domains/alpha.dk`,
    { form: { csrf, action: "ns", ns: "ns2.example.net" }, maxRedirects: 0 });
  assert.equal(refused.status(), 403);
  await page.reload();
  assert.equal(await page.locator("#f-ns").innerText(), "ns1.example.net");
  // granted: the next request has it
  regctl(info, "portal-user", "roles", "nina", "registrar,nameserver_manager");
  await page.reload();
  await page.getByLabel("Name servers").fill("ns2.example.net\nns3.example.net\n");
  await page.getByRole("button", { name: "Save name servers" }).click();
  await page.waitForURL(`${base}/portal/domains/alpha.dk`);
  assert.equal(await page.locator("#done").innerText(), "The name servers were saved.");
  assert.equal(await page.locator("#f-ns").innerText(), "ns2.example.net, ns3.example.net");
  assert.deepEqual(await history.last().locator("td").allInnerTexts().then((t) => [t[0], t[2], t[3], t[4]]),
    ["2", "update", "REGA", "portal"]);
  // a form with another token is refused, even with the role
  const forged = await page.request.post(`${base}/portal/domains/alpha.dk`,
    { form: { csrf: "0".repeat(64), action: "ns", ns: "ns1.example.net" }, maxRedirects: 0 });
  assert.equal(forged.status(), 403);
  // with the session's token the same request is a redirect (every POST's answer)
  await page.reload();
  const good = await page.request.post(`${base}/portal/domains/alpha.dk`,
    { form: { csrf, action: "ns", ns: "ns2.example.net\r\nns3.example.net" }, maxRedirects: 0 });
  assert.equal(good.status(), 303);
  await page.reload();
  assert.equal(await page.locator("#done").innerText(), "The name servers were these already; nothing changed.");
  // a text too long is refused, not taken as "no name servers"
  await page.request.post(`${base}/portal/domains/alpha.dk`,
    { form: { csrf, action: "ns", ns: "ns1.example.net\n".repeat(400) }, maxRedirects: 0 });
  await page.reload();
  assert.equal(await page.locator("#ns-error").innerText(), "a domain has at most 13 name servers");
  assert.equal(await page.locator("#f-ns").innerText(), "ns2.example.net, ns3.example.net");
  // EPP's refusal, next to the field; nothing changed
  await page.getByLabel("Name servers").fill("ns9.example.net");
  await page.getByRole("button", { name: "Save name servers" }).click();
  await page.waitForURL(`${base}/portal/domains/alpha.dk`);
  assert.equal(await page.locator("#ns-error").innerText(), "host ns9.example.net does not exist");
  assert.equal(await page.getByRole("alert").count(), 0);
  assert.equal(await page.locator("#f-ns").innerText(), "ns2.example.net, ns3.example.net");
  await shot(page, "portal-domain");

  // ---- renewal and auth info
  const expires = await page.locator("#f-expires").innerText();
  await page.getByLabel("Years").selectOption("2");
  await page.getByRole("button", { name: "Renew", exact: true }).click();
  await page.waitForURL(`${base}/portal/domains/alpha.dk`);
  assert.match(await page.locator("#done").innerText(), /^Renewed: the domain now expires on \d{4}-/);
  assert.equal((await page.locator("#f-expires").innerText()).slice(0, 4), String(Number(expires.slice(0, 4)) + 2));
  await page.getByRole("button", { name: "Generate new auth info" }).click();
  await page.waitForURL(`${base}/portal/domains/alpha.dk`);
  assert.match(await page.locator("#done").innerText(), /^The new auth info is [A-Za-z0-9]{20} \(shown only this once\)\.$/);
  assert.equal(await page.locator("#f-authinfo").innerText(), "set");
  await page.reload(); // shown once
  assert.equal(await page.locator("#done").count(), 0);
  await page.getByRole("button", { name: "Remove auth info" }).click();
  await page.waitForURL(`${base}/portal/domains/alpha.dk`);
  assert.equal(await page.locator("#f-authinfo").innerText(), "none");

  // ---- bulk: replace ns2 by ns1 in alpha (ns2 ns3), beta (ns1 ns2), gamma (none)
  await page.goto(`${base}/portal/domains?name=a.dk`);
  for (const name of ["alpha.dk", "beta.dk", "gamma.dk"])
    await page.getByRole("checkbox", { name: `Select ${name}` }).check();
  await page.getByLabel("Name server to replace").fill("ns2.example.net");
  await page.getByLabel("New name server").fill("ns1.example.net");
  await page.getByRole("button", { name: "Continue to confirmation" }).click();
  await page.waitForURL(/\/portal\/bulk\/replace-ns\?/);
  assert.equal(await page.locator("#bulk-count").innerText(),
    "2 of the 3 selected domains use ns2.example.net. In them it will be replaced by ns1.example.net.");
  await shot(page, "portal-bulk-confirm");
  await page.getByRole("button", { name: "Replace in 2 domains" }).click();
  await page.waitForURL(`${base}/portal/domains`);
  assert.equal(await page.locator("#done").innerText(), "The name server was replaced in 2 domains.");
  await page.goto(`${base}/portal/domains?name=a.dk`);
  assert.deepEqual(await page.locator("#domains tbody tr td:nth-child(6)").allInnerTexts(),
    ["ns1.example.net ns3.example.net", "ns1.example.net", ""]);
  assert.deepEqual(page.problems, []);

  // ---- the phone's view of the list and a domain
  const phone = await newPage(browser, PHONE);
  await login(phone, base, "nina", PASSWORD);
  await phone.goto(`${base}/portal/domains`);
  await shot(phone, "portal-domains");
  await phone.goto(`${base}/portal/domains/alpha.dk`);
  await shot(phone, "portal-domain");
  // nothing wider than the phone's screen but the tables' own scrolling
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= PHONE.width, `page is ${wide}px wide`);
  assert.deepEqual(phone.problems, []);
  console.log(`ok: portal domains in chromium; screenshots in ${out}`);
});
