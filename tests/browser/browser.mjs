// Shared set-up of the browser tests: Debian's chromium driven by playwright-core (a
// devDependency of web/, resolved from there), a real `tiaojie serve` from tests/lib.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../..');
export const OUT = join(ROOT, 'tests/out');
mkdirSync(OUT, { recursive: true });

const require = createRequire(join(ROOT, 'web/package.json'));
const { chromium } = require('playwright-core');

import { startServer as start } from '../lib/server.mjs';
export { Client, DEMO_PASSWORD } from '../lib/server.mjs';

/** tests/lib's startServer; TIAOJIE_WEB may name another built UI than web/dist. */
export function startServer(opts = {}) {
  return start({ ...(process.env.TIAOJIE_WEB ? { web: process.env.TIAOJIE_WEB } : {}), ...opts });
}

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A new context + page that records script errors and CSP violations (the server sends a
 * strict CSP: the built UI must run under it). `problems()` lists them.
 */
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    ...opts,
  });
  const page = await context.newPage();
  // Generous: under ASan, password hashing (Argon2id) on a busy 2-core machine is slow.
  page.setDefaultTimeout(20000);
  const problems = [];
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('console', (m) => {
    const t = m.text();
    if (m.type() === 'error' && !/Failed to load resource/.test(t)) problems.push('console: ' + t);
    if (/Content Security Policy|Refused to/.test(t)) problems.push('csp: ' + t);
  });
  return { context, page, problems: () => problems };
}

/** Signs in through the login page and waits for the layout. */
export async function signIn(page, url, login, password) {
  await page.goto(url + '/login');
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(password);
  await page.locator('[data-test=login-submit]').click();
  await page.locator('[data-test=user-name]').waitFor();
}

export async function signOut(page) {
  await page.locator('[data-test=user-box]').click();
  await page.locator('[data-test=logout]').click();
  await page.waitForURL(/\/login/);
}

/** Opens an Element Plus select (by a locator inside or on it) and picks the option with this exact text. */
export async function pick(page, select, text) {
  await select.click();
  const opt = page.locator('.el-select-dropdown__item:visible, .el-select-dropdown .el-tree-node__content:visible')
    .filter({ hasText: new RegExp('^\\s*' + text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\s*$') });
  await opt.first().click();
}

/** Picks a node of a filterable Element Plus tree-select by typing its name first. */
export async function pickTree(page, select, text) {
  await select.click();
  await page.keyboard.type(text);
  const node = page.locator('.el-select-dropdown:visible .el-tree-node__content')
    .filter({ hasText: new RegExp('^\\s*' + text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\s*$') });
  await node.first().click();
}

/** The texts of the sidebar menu entries (leaf items only). */
export async function menuItems(page) {
  await page.locator('[data-test=side-menu]').waitFor();
  return (await page.locator('[data-test=side-menu] .el-menu-item').allInnerTexts()).map((s) => s.trim());
}

export function noProblems(list) {
  assert.deepEqual(list, [], 'browser reported errors:\n' + list.join('\n'));
}

/** GB 11643 check character for 17 digits. */
export function idCheck(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return '10X98765432'[s % 11];
}
