// Browser test of the self-service site's doors and of answering the
// registrar's request on the domain page (issue 17; R39, R21, R31, R7) at
// phone width against a real registryd and a real SMTP listener
// (tests/system/smtpsink.py): the login page in Danish by the browser's
// language; five wrong passwords lock the login and the right one no
// longer helps; "Forgot your password?" mails a link, read from the SMTP
// listener, that sets a new password and lets the registrant in again;
// the eID login with the test provider, another person's identity
// refused; a handle linked to its registrar refused with a page naming
// who manages it; a change of registrant asked for over EPP confirmed on
// the domain page. Screenshots go to REG_BROWSER_OUT.
import { assert, PHONE, newPage, regctl, seed, selfServiceIn, shot, withPortal } from "./lib.mjs";

const PASSWORD = "holder-password-1";
const NEW_PASSWORD = "holder-password-2";

// One login attempt with a password on a fresh or logged-out page; the
// flash message it leads to (the login page again), or "" when it got in.
async function tryLogin(page, base, login, password) {
  await page.goto(`${base}/self-service/login`);
  await page.getByLabel("Contact handle or e-mail address").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/self-service\/(login)?$/);
  return page.url().endsWith("/login") ? page.locator("#flash").innerText() : "";
}

await withPortal({ services: "epp,http", smtp: true, settings: ["idcheck.provider=test"] },
  async (browser, { info, base, smtp }) => {
    seed(info, ["contact REGA:HOLDER holder@example.test ident=DK:0102031234",
      "contact REGA:BUYER buyer@example.test",
      "contact REGA:LINKED linked@example.test",
      "domain alpha.dk REGA:HOLDER",
      "domain linked.dk REGA:LINKED"]);

    // ---- the login page in Danish: the browser's language decides
    const da = await (await browser.newContext({ viewport: PHONE, locale: "da-DK" })).newPage();
    await da.goto(`${base}/self-service/login`);
    assert.equal(await da.locator("html").getAttribute("lang"), "da");
    assert.equal(await da.locator("h1").innerText(), "Log ind");
    assert.equal(await da.locator("#forgot-link").innerText(), "Glemt din adgangskode?");
    await shot(da, "selfservice-login-da");

    // ---- lockout after five failures; the right password does not help then
    const page = await newPage(browser, PHONE);
    await selfServiceIn(page, base, info, "REGA:HOLDER", "holder@example.test", PASSWORD);
    const stranger = await newPage(browser, PHONE);
    for (let i = 1; i <= 4; i++)
      assert.equal(await tryLogin(stranger, base, "REGA:HOLDER", "wrong-password-1"),
        "wrong contact handle, e-mail address or password");
    assert.match(await tryLogin(stranger, base, "REGA:HOLDER", "wrong-password-1"),
      /^too many failed attempts: this login is locked until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    await shot(stranger, "selfservice-locked");
    assert.match(await tryLogin(stranger, base, "holder@example.test", PASSWORD), /locked until/);

    // ---- the reset link by mail (a real SMTP listener) sets a new password
    await stranger.locator("#forgot-link").click();
    await stranger.waitForURL(`${base}/self-service/reset`);
    await stranger.getByLabel("Contact handle or e-mail address").fill("holder@example.test");
    await stranger.getByRole("button", { name: "Send the link" }).click();
    await stranger.waitForURL(`${base}/self-service/login`);
    assert.equal(await stranger.locator("#flash").innerText(),
      "If the login may be used here, a link is on its way to its e-mail address.");
    assert.doesNotMatch(regctl(info, "jobs", "run", "--force", "outbox-deliver"), /\bfailed\b/);
    // in the contact's language: Danish, for an address in Denmark
    const mail = await smtp.mail("holder@example.test", "Vælg en ny adgangskode");
    const link = mail.text.match(/(http:\/\/\S+\/self-service\/setup\/[A-Za-z0-9_-]{43})/)[1];
    assert.ok(link.startsWith(base), `${link} is not on ${base}`);
    await stranger.goto(link);
    await stranger.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
    await stranger.getByLabel("The same password again").fill(NEW_PASSWORD);
    await stranger.getByRole("button", { name: "Save the password" }).click();
    await stranger.waitForURL(`${base}/self-service/login`);
    assert.equal(await tryLogin(stranger, base, "REGA:HOLDER", PASSWORD),
      "wrong contact handle, e-mail address or password");
    assert.equal(await tryLogin(stranger, base, "REGA:HOLDER", NEW_PASSWORD), "");
    // the link is spent: 410 with a page that says so
    const again = await stranger.goto(link);
    assert.equal(again.status(), 410);
    assert.equal(await stranger.locator("h1").innerText(), "This link has been used");
    stranger.problems = stranger.problems.filter((m) => !m.includes("status of 410 (Gone)"));

    // ---- eID with the test provider: only the contact's own identity lets it in
    const eid = await newPage(browser, PHONE);
    await eid.goto(`${base}/self-service/login`);
    await eid.locator("#eid-link").click();
    await eid.waitForURL(`${base}/self-service/login/eid`);
    const eidTry = async (evidence) => {
      await eid.getByLabel("Contact handle or e-mail address").fill("REGA:HOLDER");
      await eid.getByLabel(/^Identity asserted by the eID/).fill(evidence);
      await eid.getByRole("button", { name: "Log in with eID" }).click();
      await eid.waitForURL(/\/self-service\/(login\/eid)?$/);
    };
    await eidTry("DK:0909091111");
    assert.equal(await eid.locator("#flash").innerText(),
      "the identity of the eID login is not this contact's");
    await shot(eid, "selfservice-eid");
    await eidTry("DK:0102031234");
    assert.equal(eid.url(), `${base}/self-service/`);
    await eid.getByText("Logged in as").first().waitFor();

    // ---- a handle linked to its registrar is refused, naming who manages it
    const linked = await newPage(browser, PHONE);
    await selfServiceIn(linked, base, info, "REGA:LINKED", "REGA:LINKED", PASSWORD);
    regctl(info, "contact", "link", "REGA:LINKED", "--registrar", "REGA");
    const other = await newPage(browser, PHONE);
    assert.match(await tryLogin(other, base, "REGA:LINKED", PASSWORD),
      /^handle REGA:LINKED is managed by its registrar .*\(REGA\) in the registrar portal, not here; /);
    await shot(other, "selfservice-linked");

    // ---- R7: the registrar asks for a change of registrant; the registrant
    // confirms it on the domain page
    seed(info, ["registrant alpha.dk REGA:BUYER"]);
    await page.goto(`${base}/self-service/`);
    assert.match(await page.locator("#waiting").innerText(), /alpha\.dk.*Change of registrant to .*\(REGA:BUYER\)/s);
    await page.goto(`${base}/self-service/domains/alpha.dk`);
    assert.match(await page.locator("#domain-status").innerText(), /a change awaits your answer/);
    const form = page.locator('form[id^="pending-"]');
    assert.equal(await form.count(), 1);
    await shot(page, "selfservice-pending");
    await form.getByRole("button", { name: "Confirm" }).click();
    await page.waitForURL(`${base}/self-service/`);
    assert.equal(await page.locator("#flash").innerText(),
      "Confirmed and carried out. Your registrar has been told.");
    assert.match(regctl(info, "domain", "show", "alpha.dk"), /^registrant:\s+REGA:BUYER$/m);
    // the domain has left this registrant
    const list = await page.goto(`${base}/self-service/domains`);
    assert.equal(list.status(), 200);
    assert.equal(await page.locator("#domains").count(), 0);
    assert.equal(await page.locator("#no-domains").count(), 1);

    for (const p of [page, stranger, eid, linked, other])
      assert.deepEqual((p.problems || []).filter((m) => !m.startsWith("[DOM] Password forms")), []);
  });
