// Browser test of the portal's XML console (R12) and Billing (issue 16)
// against a real registryd whose objects were made over EPP (seed.py): a
// sample picked and sent as it stands (a domain:info of the domain it
// names), the response shown indented; the <regd:verified/> delete sample
// edited and sent, the domain in redemption at once (R8) as regctl sees
// it; Billing's balance, an invoice's page and its download (Playwright's
// download event). Screenshots of both pages at desktop and phone width
// go to REG_BROWSER_OUT.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, PHONE, login, newPage, regctl, shot, withPortal } from "./lib.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const PASSWORD = "portal-password-1";

function seed(info) {
  const lines = ["contact REGA:HOLDER holder@example.test",
    // example.dk: the name the samples use, so a sample runs as it stands
    "domain example.dk REGA:HOLDER", "domain leaving.dk REGA:HOLDER"];
  execFileSync(process.env.PYTHON3 || "python3",
    [join(here, "seed.py"), info.host, String(info.port), "REGA", info.registrars.REGA],
    { input: lines.join("\n") + "\n", stdio: ["pipe", "inherit", "inherit"] });
}

await withPortal({ services: "epp,http" }, async (browser, { info, base }) => {
  regctl(info, "credit", "add", "REGA", "500.00", "--text", "Payment");
  // R24: the registry's prices, REGA's own renew price and rebate
  regctl(info, "price", "set", "create", "1500", "--from", "2000-01-01");
  regctl(info, "price", "set", "renew", "1000", "--from", "2000-01-01");
  regctl(info, "price", "set", "renew", "800", "--registrar", "REGA", "--from", "2000-01-01");
  regctl(info, "registrar", "billing", "REGA", "--rebate", "5", "--from", "2000-01-01");
  seed(info);
  regctl(info, "fee", "charge", "REGA", "25.00", "--text", "Manual handling");
  regctl(info, "portal-user", "add", "REGA", "cora", "--email", "cora@example.test",
    "--role", "registrar,payer", "--password", PASSWORD);
  const page = await newPage(browser);
  await login(page, base, "cora", PASSWORD);

  // ---- a sample as it stands
  await page.getByRole("link", { name: "XML console", exact: true }).click();
  await page.waitForURL(`${base}/portal/console`);
  await page.getByLabel("Start from a sample").selectOption("domain-info");
  await page.getByRole("button", { name: "Load sample" }).click();
  await page.waitForURL(/sample=domain-info$/);
  const sample = await page.getByLabel("EPP document").inputValue();
  assert.match(sample, /<domain:name hosts="all">example\.dk<\/domain:name>/);
  await page.getByRole("button", { name: "Send" }).click();
  await page.waitForURL(/\/portal\/console\?svtrid=RD-/);
  const response = await page.locator("#response").innerText();
  assert.match(response, /\n {4}<result code="1000">/); // indented
  assert.match(response, /<domain:name>example\.dk<\/domain:name>/);
  assert.match(response, /<clTRID>console-RD-[^<]+<\/clTRID>/); // filled in
  assert.match(await page.locator("#result").innerText(), /^Response: result 1000, svTRID RD-/);
  await shot(page, "portal-console");

  // ---- the delete with <regd:verified/>, edited before it is sent
  await page.getByLabel("Start from a sample").selectOption("domain-delete-verified");
  await page.getByRole("button", { name: "Load sample" }).click();
  await page.waitForURL(/sample=domain-delete-verified$/);
  const del = await page.getByLabel("EPP document").inputValue();
  assert.match(del, /<regd:verified\/>/);
  await page.getByLabel("EPP document").fill(del.replace("example.dk", "leaving.dk"));
  await page.getByRole("button", { name: "Send" }).click();
  await page.waitForURL(/\/portal\/console\?svtrid=RD-/);
  assert.match(await page.locator("#response").innerText(), /<result code="1001">/);
  assert.match(regctl(info, "domain", "show", "leaving.dk"), /pendingDelete/);
  assert.match(regctl(info, "history", "leaving.dk"), /portal-console/);

  // ---- billing: balance, an invoice, its download
  await page.getByRole("link", { name: "Billing", exact: true }).click();
  await page.waitForURL(`${base}/portal/billing`);
  // 500.00 paid, two creates at 15.00 less 5 %, the 25.00 fee
  assert.equal(await page.locator("#balance").innerText(), "446.50 DKK");
  assert.equal(await page.locator("#statement tbody tr").count(), 6); // opening, 4, closing
  assert.equal(await page.locator("#prices tbody tr").count(), 3);
  assert.equal(await page.locator("#invoices tbody tr").count(), 1);
  await shot(page, "portal-billing");
  await page.locator("#invoices tbody tr a").first().click();
  await page.waitForURL(/\/portal\/billing\/invoices\/1$/);
  assert.equal(await page.locator("#invoice-total").innerText(), "25.00 DKK");
  const [download] = await Promise.all([page.waitForEvent("download"),
    page.getByRole("link", { name: "Download (printable HTML)" }).click()]);
  assert.equal(download.suggestedFilename(), "invoice-1.html");
  const invoice = readFileSync(await download.path(), "utf8");
  assert.match(invoice, /<h1>Invoice 1<\/h1>/);
  assert.match(invoice, /Manual handling/);
  assert.deepEqual(page.problems, []);

  // ---- phone width
  const phone = await newPage(browser, PHONE);
  await login(phone, base, "cora", PASSWORD);
  await phone.goto(`${base}/portal/console?sample=domain-update-verified`);
  await shot(phone, "portal-console");
  await phone.goto(`${base}/portal/billing`);
  await shot(phone, "portal-billing");
  assert.deepEqual(phone.problems, []);
});
