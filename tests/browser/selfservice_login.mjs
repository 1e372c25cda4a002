// Browser test of the self-service site's way in and a registrant's own
// domains (issue 17; R39, R18-R20) at phone width against a real registryd
// whose objects were made over EPP (seed.py): the set-up link, choosing a
// password, the login, "My domains", a registrant-managed domain's page
// (its renewal and the terms accepted), its invoice from the autorenew at
// expiry (the clock moved for the domain-expiry job) as a page and a file,
// the terms page, and the Estonian pages through the language switch (the
// invoice shown paid once the registry's staff record its payment).
// Screenshots go to REG_BROWSER_OUT.
import { assert, PHONE, newPage, regctl, seed, selfServiceIn, shot, withPortal } from "./lib.mjs";

const PASSWORD = "holder-password-1";

const iso = (t) => new Date(t).toISOString().replace(/\.\d+Z$/, "Z");

await withPortal({ services: "epp,http" }, async (browser, { info, base }) => {
  seed(info, ["contact REGA:HOLDER holder@example.test",
    "domain beta.dk REGA:HOLDER",
    "domain gamma.dk REGA:HOLDER"]);
  // gamma.dk managed by its registrant (R18), so its renewal is invoiced
  // to the registrant (R19): the autorenew a year and a day from now
  regctl(info, "domain", "management", "gamma.dk", "registrant");
  regctl(info, "price", "set", "renew", "80.00", "--from", "2000-01-01T00:00:00Z");
  regctl(info, "credit", "add", "REGA", "1000.00", "--text", "top-up");
  const ran = regctl(info, "jobs", "run", "--force", "--now", iso(Date.now() + 367 * 86400e3),
    "domain-expiry");
  assert.doesNotMatch(ran, /\bfailed\b/);
  const page = await newPage(browser, PHONE);

  // ---- R39: the set-up link, a password, the login by e-mail
  await selfServiceIn(page, base, info, "REGA:HOLDER", "holder@example.test", PASSWORD);

  // ---- my domains (the navigation folds into a menu at phone width)
  await page.goto(`${base}/self-service/domains`);
  assert.deepEqual(await page.locator("#domains tbody td:first-child").allInnerTexts(),
    ["beta.dk", "gamma.dk"]);
  await page.getByRole("link", { name: "gamma.dk" }).click();
  await page.waitForURL(`${base}/self-service/domains/gamma.dk`);
  assert.match(await page.locator("#domain-renewal").innerText(),
    /^The registry renews the domain for a year when it expires and invoices you; next invoice: \d{4}-\d\d-\d\d Invoices$/);
  assert.match(await page.locator("#domain-terms").innerText(),
    /^version 1\.0, 2025-01-01 00:00 UTC The registry's terms$/);
  await shot(page, "selfservice-domain");

  // ---- R19: the invoice of the autorenew, its page and its file
  await page.locator("#domain-invoices").click();
  await page.waitForURL(`${base}/self-service/invoices`);
  assert.deepEqual(await page.locator("#invoices tbody td:first-child").allInnerTexts(), ["R1"]);
  assert.equal(await page.locator("#invoice-R1 td[data-state]").innerText(), "open");
  await page.getByRole("link", { name: "R1", exact: true }).click();
  await page.waitForURL(`${base}/self-service/invoices/R1`);
  assert.equal(await page.locator("#invoice-amount").innerText(), "80.00 DKK");
  const file = await page.request.get(base + await page.locator("#download-html").getAttribute("href"));
  assert.equal(file.status(), 200);
  assert.equal(file.headers()["content-disposition"], 'attachment; filename="invoice-R1.html"');
  assert.match(await file.text(), /Renewal of gamma\.dk, 1 year/);

  // ---- R20: the terms page
  await page.goto(`${base}/self-service/terms`);
  assert.equal(await page.locator("#terms-current").innerText(), "1.0");
  assert.equal(await page.locator("#terms-domains tbody tr").count(), 2);

  // ---- Estonian through the language switch, remembered
  await page.locator("#lang-et").click();
  await page.waitForURL(`${base}/self-service/`);
  await page.goto(`${base}/self-service/invoices`);
  assert.equal(await page.locator("h1").innerText(), "Arved");
  assert.equal(await page.locator("#invoice-R1 td[data-state]").innerText(), "avatud");
  // the registry's staff record the payment: paid
  regctl(info, "invoice", "paid", "R1", "--reference", "bank ref 88123");
  await page.reload();
  assert.equal(await page.locator("#invoice-R1 td[data-state]").innerText(), "tasutud");
  assert.equal(await page.locator("#invoice-R1 td[data-state]").getAttribute("data-state"), "paid");
  await shot(page, "selfservice-invoices-et");
  await page.goto(`${base}/self-service/domains`);
  assert.equal(await page.locator("h1").innerText(), "Minu domeenid");

  // chromium's accessibility hints ("[DOM] Password forms should have …
  // username fields", the set-up form's) are advice, not failures
  assert.deepEqual(page.problems.filter((p) => !p.startsWith("[DOM]")), []);
});
