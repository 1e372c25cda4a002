// Browser test of the portal's Contacts, Hosts and Poll messages (issue 16)
// against a real registryd whose first objects were made over EPP
// (seed.py): a contact created through the form, refused first with the
// registry's message next to its field and the typed values kept, then
// fixed; its page; an in-zone host created with its addresses; a poll
// message read and acknowledged, the unread number in the navigation
// following. Screenshots of the contacts list and a contact's page at
// desktop and phone width go to REG_BROWSER_OUT.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, PHONE, login, newPage, regctl, shot, withPortal } from "./lib.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const PASSWORD = "portal-password-1";

// Submits with the button named `button` and waits for the page at url
// the redirect leads to (which may be the form's own).
async function submitTo(page, button, url) {
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "GET" && r.url() === url),
    page.getByRole("button", { name: button }).click(),
  ]);
  await page.waitForLoadState();
}

function seed(info) {
  const lines = ["contact REGA:HOLDER holder@example.test", "contact REGA:TECH tech@example.test",
    "domain objects.dk REGA:HOLDER"];
  execFileSync(process.env.PYTHON3 || "python3",
    [join(here, "seed.py"), info.host, String(info.port), "REGA", info.registrars.REGA],
    { input: lines.join("\n") + "\n", stdio: ["pipe", "inherit", "inherit"] });
}

await withPortal({ services: "epp,http", settings: ["host.allow_private=true"] },
  async (browser, { info, base }) => {
    seed(info);
    regctl(info, "portal-user", "add", "REGA", "olga", "--email", "olga@example.test",
      "--role", "registrar", "--password", PASSWORD);
    regctl(info, "poll", "send", "REGA", "--message", "Maintenance on Sunday night");
    const page = await newPage(browser);
    await login(page, base, "olga", PASSWORD);

    // ---- the contacts list
    await page.getByRole("link", { name: "Contacts", exact: true }).click();
    await page.waitForURL(`${base}/portal/contacts`);
    assert.deepEqual(await page.locator("#contacts tbody tr td:first-child").allInnerTexts(),
      ["REGA:HOLDER", "REGA:TECH"]);

    // ---- create: refused with the message by its field, then fixed
    await page.getByRole("link", { name: "Create contact" }).click();
    await page.waitForURL(`${base}/portal/contacts/new`);
    await page.locator("#id").fill("olga1");
    await page.getByLabel("Name", { exact: true }).fill("Olga Østergaard");
    await page.getByLabel("Street").first().fill("Nørregade 7");
    await page.getByLabel("City").fill("Odense C");
    await page.getByLabel("Postal code").fill("5000");
    await page.locator("#cc").fill("DK");
    await page.locator("#voice").fill("66 12 34 56");
    await page.getByLabel("E-mail").fill("olga@example.test");
    await submitTo(page, "Create contact", `${base}/portal/contacts/new`);
    const voiceError = page.locator("#error-voice");
    assert.match(await voiceError.innerText(), /not a number in the form \+CC\.NNNNNNNN/);
    assert.equal(await page.locator("#voice").getAttribute("aria-describedby"), "error-voice");
    assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "Olga Østergaard");
    assert.equal(await page.getByLabel("City").inputValue(), "Odense C");
    await page.locator("#voice").fill("+45.66123456");
    await page.getByRole("button", { name: "Create contact" }).click();
    await page.waitForURL(`${base}/portal/contacts/REGA%3AOLGA1`);
    assert.equal(await page.locator("#done").innerText(), "Contact REGA:OLGA1 was created.");

    // ---- its page
    assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), "REGA:OLGA1");
    assert.equal(await page.locator("#f-name-loc").innerText(), "Olga Østergaard");
    assert.equal(await page.locator("#f-voice").innerText(), "+45.66123456");
    assert.equal(await page.locator("#f-email").innerText(), "olga@example.test");
    assert.equal(await page.locator("#f-status").innerText(), "ok");
    assert.match(await page.locator("#f-created").innerText(), /^\d{4}-.*Z by REGA$/);
    await page.locator("#unused").waitFor();
    await shot(page, "portal-contact");
    await page.goto(`${base}/portal/contacts`);
    assert.equal(await page.locator("#contacts tbody tr").count(), 3);
    await shot(page, "portal-contacts");
    await page.getByRole("link", { name: "REGA:HOLDER" }).click();
    assert.deepEqual(await page.locator("#contact-uses tbody tr td:first-child").allInnerTexts(),
      ["objects.dk"]);

    // ---- an in-zone host with its addresses
    await page.getByRole("link", { name: "Hosts", exact: true }).click();
    await page.waitForURL(`${base}/portal/hosts`);
    await page.getByRole("link", { name: "Create host" }).click();
    await page.getByLabel("Name", { exact: true }).fill("ns1.objects.dk");
    await submitTo(page, "Create host", `${base}/portal/hosts/new`);
    assert.match(await page.locator("#error-addrs").innerText(), /address/);
    assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "ns1.objects.dk");
    await page.getByLabel("Addresses").fill("192.0.2.53\n2001:db8::53");
    await page.getByRole("button", { name: "Create host" }).click();
    await page.waitForURL(`${base}/portal/hosts/ns1.objects.dk`);
    assert.equal(await page.locator("#f-addrs").innerText(), "192.0.2.53, 2001:db8::53");
    assert.equal(await page.locator("#f-superordinate").innerText(), "objects.dk");
    await shot(page, "portal-host");

    // ---- a poll message read and acknowledged
    assert.equal(await page.locator("#poll-unread").innerText(), "1");
    await page.locator("#nav-poll").click();
    await page.waitForURL(`${base}/portal/poll`);
    const first = page.locator("#poll tbody tr").first();
    assert.equal(await first.locator("td").nth(4).innerText(), "Maintenance on Sunday night");
    await first.locator("td").first().getByRole("link").click();
    assert.equal(await page.locator("#f-message").innerText(), "Maintenance on Sunday night");
    await page.getByRole("button", { name: "Acknowledge" }).click();
    await page.waitForURL(`${base}/portal/poll`);
    assert.equal(await page.locator("#done").innerText(), "The message was acknowledged.");
    assert.equal(await page.locator("#poll-count").innerText(), "No messages are waiting.");
    assert.equal(await page.locator("#poll-unread").count(), 0);

    // ---- the EPP log shows the seeding commands
    await page.getByRole("link", { name: "EPP log", exact: true }).click();
    assert.ok(await page.locator("#epp-log tbody tr").count() >= 3);

    // ---- phone width
    const phone = await newPage(browser, PHONE);
    await login(phone, base, "olga", PASSWORD);
    await phone.goto(`${base}/portal/contacts`);
    await shot(phone, "portal-contacts");
    await phone.goto(`${base}/portal/contacts/REGA%3AOLGA1`);
    await shot(phone, "portal-contact");

    assert.deepEqual(page.problems, []);
    assert.deepEqual(phone.problems, []);
  });
