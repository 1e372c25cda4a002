// Browser test of seed 000's flow in the registrar portal (issue 16,
// R27-R31) against a real registryd whose objects were made over EPP
// (seed.py): a Registrar user neither sees nor reaches Administration; the
// Administrator opens Linked WHOIS handles, sees the linked handle with its
// roles, the link candidates (only the handles whose data exactly equal the
// registrar's own handle, the e-mail in any case), links one, clicks
// through to its domains and name servers, creates a handle linked at once;
// another registrar's Administrator sees the empty list and why; the
// Administrator grants themselves Name server manager in My profile and a
// domain's name-server form appears at the next page. Screenshots of the
// handles page at desktop and phone width go to REG_BROWSER_OUT.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, DESKTOP, PHONE, login, newPage, regctl, shot, withPortal } from "./lib.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const PASSWORD = "portal-password-1";

function seed(info, clid, lines) {
  execFileSync(process.env.PYTHON3 || "python3",
    [join(here, "seed.py"), info.host, String(info.port), clid, info.registrars[clid]],
    { input: lines.join("\n") + "\n", stdio: ["pipe", "inherit", "inherit"] });
}

// The texts of column i of table#id's body rows.
async function column(page, id, i = 0) {
  return page.locator(`#${id} tbody tr`).evaluateAll(
    (rows, n) => rows.map((r) => r.querySelectorAll("td")[n].innerText.trim()), i);
}

await withPortal({ services: "epp,http" }, async (browser, { info, base }) => {
  seed(info, "REGA", [
    "contact REGA:OWN hostmaster@alpha.dk",
    "contact REGA:NSADM HostMaster@Alpha.DK", // the same data, the e-mail in another case
    "contact REGA:OTHER other@alpha.dk",      // one field differs
    "contact REGA:ADM anne@example.test",
    "host ns1.example.net admin=REGA:NSADM",
    "host ns2.example.net admin=REGA:NSADM",
    "domain alpha-hosting.dk REGA:ADM ns1.example.net tech=REGA:NSADM"]);
  regctl(info, "registrar", "set", "REGA", "--handle", "REGA:OWN");
  regctl(info, "contact", "link", "REGA:ADM", "--registrar", "REGA");
  for (const [user, registrar, roles] of [["anna", "REGA", "administrator,registrar"],
    ["bob", "REGA", "registrar"], ["dora", "REGB", "administrator"]]) {
    regctl(info, "portal-user", "add", registrar, user, "--email", `${user}@example.test`,
      "--role", roles, "--password", PASSWORD);
  }

  // R27: a Registrar user neither sees nor reaches Administration
  const bob = await newPage(browser);
  await login(bob, base, "bob", PASSWORD);
  assert.equal(await bob.getByRole("link", { name: "Administration" }).count(), 0);
  const denied = await bob.goto(`${base}/portal/admin/handles`);
  assert.equal(denied.status(), 403);

  const page = await newPage(browser);
  await login(page, base, "anna", PASSWORD);
  await page.getByRole("link", { name: "Administration" }).click();
  await page.getByRole("link", { name: "Linked WHOIS handles" }).click();
  await page.waitForURL(`${base}/portal/admin/handles`);
  // R28: the linked handle and its roles; R29: exact matches only
  assert.deepEqual(await column(page, "linked"), ["REGA:ADM"]);
  assert.match(await page.locator("#linked tbody tr").first().innerText(), /Registrant \(1\)/);
  assert.deepEqual(await column(page, "candidates"), ["REGA:NSADM", "REGA:OWN"]);
  await shot(page, "portal-handles");

  // link a candidate
  await page.locator("#candidates tbody tr", { hasText: "REGA:NSADM" })
    .getByRole("button", { name: "Link" }).click();
  await page.getByText("The handle was linked.").waitFor();
  assert.deepEqual(await column(page, "linked"), ["REGA:ADM", "REGA:NSADM"]);
  assert.deepEqual(await column(page, "candidates"), ["REGA:OWN"]);
  // click through to its domains and name servers
  await page.getByRole("link", { name: "REGA:NSADM" }).click();
  await page.waitForURL(/\/portal\/admin\/handles\/REGA(:|%3A)NSADM/);
  assert.deepEqual(await column(page, "domains"), ["alpha-hosting.dk"]);
  assert.deepEqual(await column(page, "nameservers"), ["ns1.example.net", "ns2.example.net"]);

  // R30: Create handle, linked at once
  await page.goto(`${base}/portal/admin/handles`);
  const form = page.locator("#create-handle");
  await form.locator('[name="id"]').fill("web1");
  await form.locator('[name="kind"]').selectOption("organization");
  await form.locator('[name="name"]').fill("Web Master");
  await form.locator('[name="street1"]').fill("Havnegade 2");
  await form.locator('[name="city"]').fill("Aarhus C");
  await form.locator('[name="pc"]').fill("8000");
  await form.locator('[name="cc"]').fill("DK");
  await form.locator('[name="voice"]').fill("+45.12345678");
  await form.locator('[name="email"]').fill("web@example.test");
  await form.getByRole("button", { name: "Create handle" }).click();
  await page.getByText("The handle was created and linked.").waitFor();
  assert.ok((await column(page, "linked")).includes("REGA:WEB1"));
  assert.match(regctl(info, "contact", "show", "REGA:WEB1"), /linked to/);

  // another registrar without a handle of its own: an empty list, and why
  const dora = await newPage(browser, PHONE);
  await login(dora, base, "dora", PASSWORD);
  await dora.goto(`${base}/portal/admin/handles`);
  assert.deepEqual(await column(dora, "candidates"), []);
  assert.match(await dora.locator("#no-candidates").innerText(),
    /your registrar has no handle of its own/);
  await shot(dora, "portal-handles");

  // seed 000: the Administrator grants themselves Name server manager; the
  // name servers can be changed at the next page (R32)
  const before = await page.goto(`${base}/portal/domains/alpha-hosting.dk`);
  assert.equal(before.status(), 200);
  assert.equal(await page.locator("#ns-form").count(), 0);
  await page.getByRole("link", { name: "My profile" }).click();
  const roles = page.locator("#roles-form");
  await roles.getByLabel("Name server manager").check();
  await roles.getByRole("button", { name: "Save" }).click();
  await page.getByText("Your roles were saved.").waitFor();
  await page.goto(`${base}/portal/domains/alpha-hosting.dk`);
  assert.equal(await page.locator("#ns-form").count(), 1);
  for (const p of [page, dora]) assert.deepEqual(p.problems, []);
  assert.deepEqual(bob.problems.filter((m) => !m.includes("403")), []);
});
