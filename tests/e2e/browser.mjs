// The --browser command of the end-to-end tests: opens the sign-in URL that get_token --sso hands it
// in Debian's Chromium (headless, driven by playwright-core) and does what a user would do:
//  - SAML mode: follows the redirect to the IdP, fills its login form, lets it post back;
//  - passcode mode: follows the start page's link to the zone's passcode page (signing in at the IdP
//    on the way), copies the passcode, goes back to the start page and submits it.
// It stops on the listener's final page, takes a screenshot and writes what it saw as JSON.
// Usage: node browser.mjs URL       Environment: E2E_USER, E2E_PASS, E2E_ARTIFACTS, E2E_NAME;
// (not E2E_PASSWORD: get_token keeps variables named like secrets out of the browser's environment)
// HOME must hold the NSS db (~/.pki/nssdb) that trusts the test CA.
import { chromium } from 'playwright-core';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = process.argv[process.argv.length - 1];
const artifacts = process.env.E2E_ARTIFACTS || '.';
const name = process.env.E2E_NAME || 'sso';
const report = { name, start_url: url, steps: [] };
const save = () => writeFileSync(join(artifacts, `${name}.json`), JSON.stringify(report, null, 2));

const profile = mkdtempSync(join(tmpdir(), 'ssocli-chromium-'));
let context;
try {
  const listener = new URL(url).origin;
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  const page = context.pages()[0] || await context.newPage();
  let passcode = '';
  let lastStatus = 0;
  page.on('response', (r) => { if (r.frame() === page.mainFrame() && r.request().isNavigationRequest()) lastStatus = r.status(); });
  await page.goto(url);
  for (let step = 0; step < 60; step++) {
   try {
    await page.waitForLoadState('load').catch(() => {});
    const here = new URL(page.url());
    report.steps.push(`${here.origin}${here.pathname}`);
    if (here.origin === listener && (here.pathname === '/saml/acs' ||
        (here.pathname === '/passcode' && passcode))) {
      break;  // the listener's outcome page
    }
    if (await page.$('form[action="/idp/login"]')) {
      if (report.signed_in_at_idp) throw new Error('the IdP refused the sign-in: ' + (await page.innerText('body')));
      report.signed_in_at_idp = true;
      await page.fill('input[name="username"]', process.env.E2E_USER || '');
      await page.fill('input[name="password"]', process.env.E2E_PASS || '');
      await Promise.all([page.waitForNavigation().catch(() => {}), page.click('#sign-in')]);
    } else if (await page.$('code#passcode')) {
      passcode = (await page.textContent('code#passcode')).trim();
      report.passcode_seen = passcode.length > 0;
      await page.goto(url);
    } else if (here.origin === listener && await page.$('form[action="/passcode"]')) {
      if (passcode) {
        await page.fill('input[name="passcode"]', passcode);
        await Promise.all([page.waitForNavigation().catch(() => {}), page.click('#submit-passcode')]);
      } else {
        const link = await page.$('a[href$="/passcode"]');
        await page.goto(await link.getAttribute('href'));
      }
    } else {
      await page.waitForTimeout(250);  // an auto-posting page, a redirect in flight
    }
   } catch (e) {
    // The page navigated on its own (the IdP's auto-post, a redirect) while we looked at it.
    if (!/Execution context was destroyed|navigat/i.test(String(e))) throw e;
    await page.waitForTimeout(250);
   }
  }
  report.final_url = page.url();
  report.status = lastStatus;
  report.title = await page.title();
  report.text = (await page.innerText('body')).slice(0, 2000);
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
} catch (e) {
  report.error = String(e && e.stack || e);
} finally {
  save();
  if (context) await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
