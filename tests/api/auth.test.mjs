// Sign-in, sessions, rate limiting, password change and the CLI account commands.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, run, DEMO_PASSWORD } from '../lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('login sets an HttpOnly SameSite=Strict cookie and returns the user and permissions', async () => {
  const r = await fetch(srv.url + '/api/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'office', password: DEMO_PASSWORD }),
  });
  assert.equal(r.status, 200);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /^tj_session=[A-Za-z0-9_-]{43};/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.doesNotMatch(cookie, /Secure/);
  const j = await r.json();
  assert.equal(j.user.login, 'office');
  assert.equal(j.user.role, 'office_staff');
  assert.equal(j.user.org_name, '青山县城关镇司法所');
  assert.ok(j.permissions.includes('org.write'));
  assert.ok(!j.permissions.includes('user.manage'));
  assert.ok(j.csrf_token.length >= 40);
});

test('me, logout, and a dead session afterwards', async () => {
  const c = new Client(srv.url);
  assert.equal((await c.get('/api/auth/me')).status, 401);
  await c.login('mediator');
  const me = await c.get('/api/auth/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.user.role, 'mediator');
  assert.equal(me.json.csrf_token, c.csrf);
  const old = c.cookie;
  const out = await c.post('/api/auth/logout');
  assert.equal(out.status, 204);
  c.cookie = old; // replaying the old cookie must not work
  assert.equal((await c.get('/api/auth/me')).status, 401);
});

test('wrong password and unknown login give the same message', async () => {
  const c = new Client(srv.url);
  const a = await c.login('auditor', 'wrong-password-1');
  const b = await c.login('nobody-here', 'wrong-password-1');
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(a.json.error.message, b.json.error.message);
  assert.equal(a.json.error.code, 'login_failed');
});

test('five failures lock the account for a while, with a clear message', async () => {
  const c = new Client(srv.url);
  for (let i = 0; i < 5; i++) assert.equal((await c.login('informant', 'bad-password-' + i)).status, 401);
  const r = await c.login('informant'); // right password, but locked
  assert.equal(r.status, 429);
  assert.equal(r.json.error.code, 'rate_limited');
  assert.match(r.json.error.message, /锁定.*\d+ 分钟/);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  // other accounts are unaffected
  assert.equal((await new Client(srv.url).login('bureau')).status, 200);
});

test('failed and successful sign-ins are audited', async () => {
  const admin = new Client(srv.url);
  await admin.login('admin');
  const r = await admin.get('/api/audit?action=login_failed&limit=100');
  if (r.status === 404) return; // audit API not built yet in this tree
  assert.equal(r.status, 200);
  assert.ok(r.json.items.some(e => e.actor_login === 'informant'));
  assert.ok(r.json.items.every(e => !JSON.stringify(e).includes('bad-password')));
});

test('password change: policy, old password, other sessions end', async () => {
  const a = new Client(srv.url), b = new Client(srv.url);
  await a.login('bureau');
  await b.login('bureau');
  let r = await a.post('/api/auth/password', { old_password: DEMO_PASSWORD, new_password: 'short' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'new_password');
  r = await a.post('/api/auth/password', { old_password: DEMO_PASSWORD, new_password: 'bureau-is-my-name' });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /登录名/);
  r = await a.post('/api/auth/password', { old_password: 'not-the-password', new_password: 'A-much-better-pass' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'old_password');
  r = await a.post('/api/auth/password', { old_password: DEMO_PASSWORD, new_password: 'A-much-better-pass' });
  assert.equal(r.status, 204);
  assert.equal((await a.get('/api/auth/me')).status, 200, 'the changing session stays');
  assert.equal((await b.get('/api/auth/me')).status, 401, 'other sessions end');
  assert.equal((await new Client(srv.url).login('bureau')).status, 401);
  assert.equal((await new Client(srv.url).login('bureau', 'A-much-better-pass')).status, 200);
});

test('tiaojie user add / passwd / disable', async () => {
  let r = run(['user', 'add', '--db', srv.db, '--login', 'zhangsan', '--org', '1', '--role', 'bureau_staff', '--name', '张三'], { input: 'Zhangsan-pass-2026\n' });
  assert.equal(r.status, 2, 'a password containing the login is refused');
  assert.match(r.stderr, /登录名/);
  r = run(['user', 'add', '--db', srv.db, '--login', 'zhangsan', '--org', '1', '--role', 'bureau_staff', '--name', '张三'], { input: 'Good-pass-2026\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /已创建账号 zhangsan/);
  const c = new Client(srv.url);
  assert.equal((await c.login('zhangsan', 'Good-pass-2026')).status, 200);
  assert.equal(c.user.name, '张三');
  r = run(['user', 'add', '--db', srv.db, '--login', 'zhangsan', '--org', '1', '--role', 'bureau_staff'], { input: 'Good-pass-2026\n' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /已存在/);
  r = run(['user', 'add', '--db', srv.db, '--login', 'lisi', '--org', '1', '--role', 'king'], { input: 'Good-pass-2026\n' });
  assert.equal(r.status, 2);
  r = run(['user', 'passwd', '--db', srv.db, '--login', 'zhangsan'], { input: 'Another-pass-2026\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await c.get('/api/auth/me')).status, 401, 'password change ends sessions');
  assert.equal((await c.login('zhangsan', 'Another-pass-2026')).status, 200);
  r = run(['user', 'disable', '--db', srv.db, '--login', 'zhangsan']);
  assert.equal(r.status, 0);
  assert.equal((await c.get('/api/auth/me')).status, 401);
  const d = await new Client(srv.url).login('zhangsan', 'Another-pass-2026');
  assert.equal(d.status, 403);
  assert.equal(d.json.error.code, 'account_disabled');
});
