// Browser test of the self-service site's auth-code request and "My data"
// (issue 17; R15-R17, R38, R10) at phone width against a real registryd
// whose objects were made over EPP (seed.py): the set-up link and login,
// "ask my registrar for the auth code" on the domain page (the request in
// the registrar's EPP message queue), the deadline
// passed (the clock moved for the authinfo-overdue job) and the one-time
// password sent for another registrar, the manual route, the password's
// mail read from a real SMTP listener and used by that registrar over EPP,
// which moves the domain at once (and only once); the slot form changing
// a2's e-mail (both R10 mails delivered) and a refusal (a malformed phone
// number) shown at its field. Screenshots go to REG_BROWSER_OUT.
import { assert, PHONE, newPage, regctl, seed, selfServiceIn, shot, withPortal } from "./lib.mjs";

const PASSWORD = "holder-password-1";

const iso = (t) => new Date(t).toISOString().replace(/\.\d+Z$/, "Z");

// a one-time password as the mail gives it (base32 without 0, 1, I, O)
const OTP = /\b([2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5})\b/;

await withPortal({ services: "epp,http", smtp: true }, async (browser, { info, base, smtp }) => {
  seed(info, ["contact REGA:HOLDER holder@example.test",
    "contact REGA:SECOND second@example.test",
    "domain alpha.dk REGA:HOLDER",
    "account REGA:HOLDER a2 REGA:SECOND"]);
  const page = await newPage(browser, PHONE);

  // ---- in: the set-up link, then the login
  await selfServiceIn(page, base, info, "REGA:HOLDER", "REGA:HOLDER", PASSWORD);

  // ---- R15: ask for the auth code on the domain page
  await page.goto(`${base}/self-service/domains/alpha.dk`);
  await page.getByRole("button", { name: "Ask my registrar for the auth code" }).click();
  await page.waitForURL(`${base}/self-service/domains/alpha.dk`);
  assert.equal(await page.locator("#flash").innerText(), "Your registrar has been asked for the auth code.");
  assert.equal(await page.locator("#authcode-state").innerText(), "waiting for your registrar");
  assert.match(await page.locator("#authcode-deadline").innerText(), /^\d{4}-\d\d-\d\d$/);
  assert.equal(await page.locator("#otp-form").count(), 0);
  // the request is in the registrar's EPP message queue
  assert.match(regctl(info, "poll", "list", "REGA"),
    /Auth-code request for alpha\.dk: the registrant asked for the auth info/);
  await shot(page, "selfservice-authcode");

  // ---- R16, R17: the deadline passes (the clock moved for the job)
  const out = regctl(info, "jobs", "run", "--force", "--now", iso(Date.now() + 12 * 86400e3),
    "authinfo-overdue");
  assert.match(out, /authinfo-overdue\s+ran\s+1 overdue/);
  await page.reload();
  assert.equal(await page.locator("#authcode-state").innerText(),
    "overdue: your registrar has let the deadline pass");
  assert.match(await page.locator("#manual-route").innerText(), /Send the documents to: \S+@/);
  assert.match(await page.locator("#manual-fee").innerText(), /200\.00 DKK$/);
  await page.getByLabel("Your new registrar").selectOption("REGB");
  await page.getByLabel("e-mail to the registrant").check();
  await shot(page, "selfservice-otp");
  await page.getByRole("button", { name: "Send me a one-time password" }).click();
  await page.waitForURL(`${base}/self-service/domains/alpha.dk`);
  assert.equal(await page.locator("#flash").innerText(),
    "The one-time password is on its way to holder@example.test.");

  // ---- R16: the mail arrives (in the holder's language: Danish, for an
  // address in Denmark); its password is REGB's auth code, once
  assert.doesNotMatch(regctl(info, "jobs", "run", "--force", "outbox-deliver"), /\bfailed\b/);
  const otpMail = await smtp.mail("holder@example.test", "Engangskode til at flytte domænet alpha.dk");
  assert.match(otpMail.text, /til\s+registratoren .*\(REGB\)/s);
  const code = otpMail.text.match(OTP)[1];
  seed(info, [`transfer alpha.dk ${code}`], "REGB");
  assert.match(regctl(info, "domain", "show", "alpha.dk"), /^sponsor:\s+REGB$/m);
  // asked again, the domain is REGB's already (that the password works
  // once only is system.authotp's test_R16_otp_transfer_completes)
  assert.throws(() => seed(info, [`transfer alpha.dk ${code}`], "REGB"), /result code="2106"/);

  // ---- R38, R10: a2's e-mail through the slot form
  await page.getByRole("link", { name: "My data" }).click();
  await page.waitForURL(`${base}/self-service/data`);
  const a2 = page.locator('[id$="-a2-form"]');
  assert.equal(await a2.locator('[id$="-a2-email"]').inputValue(), "second@example.test");
  // (the browser itself stops a malformed e-mail address; a phone number it lets through)
  await a2.locator('[id$="-a2-voice"]').fill("12345");
  await a2.getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL(`${base}/self-service/data`);
  assert.match(await page.locator('[id$="-a2-voice-error"]').innerText(), /12345/);
  assert.equal(await page.locator('[id$="-a2-voice"]').inputValue(), "");
  assert.equal(await page.locator("#flash").count(), 0);
  await page.locator('[id$="-a2-email"]').fill("second-new@example.test");
  await page.locator('[id$="-a2-form"]').getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL(`${base}/self-service/data`);
  assert.equal(await page.locator("#flash").innerText(), "Your changes are saved.");
  assert.equal(await page.locator('[id$="-a2-email"]').inputValue(), "second-new@example.test");
  await shot(page, "selfservice-data");
  // R10: the old and the new address each get their mail
  assert.doesNotMatch(regctl(info, "jobs", "run", "--force", "outbox-deliver"), /\bfailed\b/);
  for (const rcpt of ["second@example.test", "second-new@example.test"])
    await smtp.mail(rcpt);
  // chromium's hint about the set-up page's password form (no username
  // field) is the set-up page's, not this test's
  assert.deepEqual(page.problems.filter((m) => !m.startsWith("[DOM] Password forms")), []);
});
