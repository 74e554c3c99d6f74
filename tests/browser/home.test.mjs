// (1) Admin signs in and the home page shows the live figures of /api/stats/overview and
// /api/health; screenshot to tests/out/home-admin.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client, DEMO_PASSWORD, launch, newPage, signIn, noProblems, OUT } from './browser.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('admin home page shows the real overview numbers and system status', async () => {
  const api = new Client(server.url);
  assert.equal((await api.login('admin')).status, 200);
  const ov = (await api.get('/api/stats/overview')).json;
  const health = (await api.get('/api/health')).json;
  assert.ok(ov && ov.orgs_by_kind, 'overview has orgs_by_kind');

  const { page, context, problems } = await newPage(browser);
  await signIn(page, server.url, 'admin', DEMO_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/');

  const value = (key) => page.locator(`[data-test=stat-${key}] [data-test=stat-value]`);
  const sum = (r) => Object.values(r || {}).reduce((a, b) => a + b, 0);
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-test=stat-users] [data-test=stat-value]');
    return el && /\d/.test(el.textContent);
  });
  assert.equal((await value('users').innerText()).trim(), String(ov.users));
  assert.equal((await value('orgs').innerText()).trim(), String(sum(ov.orgs_by_kind)));
  assert.equal((await value('committees').innerText()).trim(), String(ov.orgs_by_kind.committee ?? 0));
  assert.equal((await value('mediators').innerText()).trim(), String(ov.people_by_kind.mediator ?? 0));
  assert.equal((await value('people').innerText()).trim(), String(sum(ov.people_by_kind)));
  if (ov.coverage && ov.coverage.total) {
    const pct = ((ov.coverage.covered / ov.coverage.total) * 100).toFixed(1) + '%';
    assert.equal((await value('coverage').innerText()).trim(), pct);
  }
  assert.equal((await page.locator('[data-test=scope-org]').innerText()).trim(), ov.org.name);

  // system status from /api/health
  assert.equal((await page.locator('[data-test=version]').innerText()).trim(), health.version);
  assert.equal((await page.locator('[data-test=schema-version]').innerText()).trim(), String(health.schema_version));

  // 我的待办 card: the counts and totals of /api/todo (it asks for no list: limit=0)
  const todo = (await api.get('/api/todo')).json;
  const cards = { overdue: todo.counts.overdue, due_today: todo.counts.due_today, due_soon: todo.counts.due_soon, awaiting: todo.awaiting_total };
  if (todo.referrals) cards.referrals = todo.referrals.own_total;
  for (const [k, n] of Object.entries(cards))
    await page.waitForFunction(([k, n]) => document.querySelector(`[data-test=summary-${k}] .value`)?.textContent.trim() === String(n), [k, n]);
  const zero = (await api.get('/api/todo?limit=0')).json;
  assert.deepEqual([zero.deadlines.length, zero.awaiting_acceptance.length], [0, 0]);
  assert.deepEqual(zero.counts, todo.counts);

  // header: name, org, role label (from the dictionary)
  const me = (await api.get('/api/auth/me')).json;
  const dicts = (await api.get('/api/dicts')).json;
  assert.equal((await page.locator('[data-test=user-name]').innerText()).trim(), me.user.name);
  assert.equal((await page.locator('[data-test=user-org]').innerText()).trim(), me.user.org_name);
  const roleLabel = dicts.role.find((r) => r.value === me.user.role).label;
  assert.equal((await page.locator('[data-test=user-role]').innerText()).trim(), roleLabel);

  // both charts drew on a canvas
  assert.equal(await page.locator('.echart canvas').count() >= 2, true);
  await page.waitForTimeout(600); // let the chart animation finish for the screenshot
  await page.screenshot({ path: join(OUT, 'home-admin.png'), fullPage: true });
  noProblems(problems());
  await context.close();
});
