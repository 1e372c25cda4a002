// Browser test of the registrar portal's login (issue 16): Debian's chromium
// driven by playwright-core against a real registryd (lib.mjs): log in
// with a password and enrol the TOTP key shown on the page with a code
// computed here (RFC 6238), log in again with a code, the lockout after 5
// wrong passwords, Administration seen and reached only by an
// administrator, a form with a wrong CSRF token refused. Screenshots of the
// login, enrolment and dashboard pages at desktop and phone width go to
// REG_BROWSER_OUT.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { assert, DESKTOP, PHONE, login, newPage, out, regctl, shot, totp, withPortal } from "./lib.mjs";

const PASSWORD = "portal-password-1";

await withPortal({}, async (browser, { info, base }) => {
  regctl(info, "portal-user", "add", "REGA", "anna", "--email", "anna@example.test",
    "--role", "administrator,payer", "--password", PASSWORD);
  regctl(info, "portal-user", "add", "REGA", "rita", "--email", "rita@example.test",
    "--role", "registrar", "--password", PASSWORD);
  regctl(info, "portal-user", "add", "REGA", "lars", "--email", "lars@example.test",
    "--role", "registrar", "--password", PASSWORD);

  // the first login enrols, step by step (desktop); the second gives a code (phone)
  let secret;
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await newPage(browser, viewport);
    await page.goto(`${base}/portal/`);
    assert.equal(new URL(page.url()).pathname, "/portal/login");
    await shot(page, "portal-login");
    await page.getByLabel("Login name").fill("anna");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/portal\/login\/(enrol|code)$/);
    if (!secret) {
      assert.ok(page.url().endsWith("/enrol"), page.url());
      secret = (await page.locator("#totp-secret").innerText()).trim();
      assert.match(secret, /^[A-Z2-7 ]{39}$/);
      const uri = await page.locator("#totp-uri").getAttribute("href");
      assert.ok(uri.startsWith("otpauth://totp/"), uri);
      // the QR code beside it says the same, read back by zbar from a screenshot
      const qrFile = join(out, "portal-enrol-qr.png");
      await page.locator("#qr").screenshot({ path: qrFile });
      const scanned = execFileSync("zbarimg", ["--raw", "-q", qrFile], { encoding: "utf8" }).trim();
      assert.equal(scanned, uri);
      await shot(page, "portal-enrol");
      // a wrong code keeps the user at this step
      await page.getByLabel("Code").fill(totp(secret, Date.now() / 1000 - 3600));
      await page.getByRole("button", { name: "Continue" }).click();
      await page.waitForURL(/\/portal\/login\/enrol$/);
      await page.getByLabel("Code").fill(totp(secret));
    } else {
      assert.ok(page.url().endsWith("/code"), page.url());
      // a code is taken once: the next step's
      await page.getByLabel("Code").fill(totp(secret, Date.now() / 1000 + 30));
    }
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(`${base}/portal/`);
    await page.getByText("Logged in as anna (REGA)").waitFor();
    assert.equal(await page.locator("#domains").innerText(), "0");
    // Bootstrap came from our origin and applied
    const font = await page.locator("body").evaluate((b) => getComputedStyle(b).fontFamily);
    assert.match(font, /system-ui/);
    await shot(page, "portal-dashboard");

    // an administrator sees and reaches Administration
    await page.getByRole("link", { name: "Administration" }).click();
    await page.waitForURL(`${base}/portal/admin/users`);
    assert.equal(await page.locator("#users tbody tr").count(), 3);

    // the CSP refuses any script, nothing failed to load: nothing reported
    assert.deepEqual(page.problems, []);
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(`${base}/portal/login`);
    // logged out: Administration sends to the login page
    await page.goto(`${base}/portal/admin/users`);
    assert.equal(new URL(page.url()).pathname, "/portal/login");
    await page.context().close();
  }

  // a user without the administrator role neither sees nor reaches it
  const page = await newPage(browser);
  await login(page, base, "rita", PASSWORD);
  assert.equal(await page.getByRole("link", { name: "Administration" }).count(), 0);
  const forbidden = await page.goto(`${base}/portal/admin/users`);
  assert.equal(forbidden.status(), 403);
  await page.getByRole("heading", { name: "Not allowed" }).waitFor();

  // CSRF: the logout form with a token not the session's is refused and
  // the session goes on
  await page.goto(`${base}/portal/`);
  await page.locator("form input[name=csrf]").first().evaluate((el) => { el.value = "0".repeat(64); });
  const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Log out" }).click()]);
  assert.equal(refused.status(), 403);
  await page.getByRole("heading", { name: "Please try again" }).waitFor();
  await page.goto(`${base}/portal/`);
  await page.getByText("Logged in as rita (REGA)").waitFor();
  await page.context().close();

  // lockout: 5 wrong passwords, then even the right one is refused
  const locked = await newPage(browser);
  for (let i = 1; i <= 6; i++) {
    await locked.goto(`${base}/portal/login`);
    await locked.getByLabel("Login name").fill("lars");
    await locked.getByLabel("Password").fill(i === 6 ? PASSWORD : `wrong-${i}`);
    await locked.getByRole("button", { name: "Log in" }).click();
    await locked.waitForURL(`${base}/portal/login`);
    const alert = await locked.getByRole("alert").innerText();
    if (i < 5) assert.doesNotMatch(alert, /locked/);
    else assert.match(alert, /too many failed attempts: this login is locked until/);
  }
  assert.match(regctl(info, "portal-user", "list", "REGA"), /lars.*locked/);
  await locked.context().close();
  console.log(`ok: portal login with TOTP, roles, CSRF and lockout in chromium; screenshots in ${out}`);
});
