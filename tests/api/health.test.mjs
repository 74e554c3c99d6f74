// Health, static files, security headers and the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, run } from '../lib/server.mjs';

let srv, web;
before(async () => {
  // a small web root of our own, so these tests do not depend on the UI build
  web = mkdtempSync(join(tmpdir(), 'tiaojie-web-'));
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>tiaojie</title><div id="app"></div>');
  writeFileSync(join(web, 'assets', 'app-1a2b3c.js'), 'console.log("hi")');
  writeFileSync(join(web, 'assets', 'style-9f.css'), 'body{}');
  writeFileSync(join(web, '.env'), 'SECRET=1');
  srv = await startServer({ web });
});
after(async () => { await srv.stop(); rmSync(web, { recursive: true, force: true }); });

test('health reports status, version and schema version', async () => {
  const r = await fetch(srv.url + '/api/health');
  assert.equal(r.status, 200);
  const j = await r.json();
  assert.equal(j.status, 'ok');
  assert.match(j.version, /^\d+\.\d+\.\d+$/);
  assert.ok(Number.isInteger(j.schema_version) && j.schema_version >= 1);
  assert.equal(j.database, 'sqlite');
  assert.match(j.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(r.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const v = run(['version']);
  assert.equal(v.status, 0);
  assert.ok(v.stdout.includes(j.version) && v.stdout.includes(`schema ${j.schema_version}`));
});

test('every response carries the security headers', async () => {
  for (const p of ['/api/health', '/', '/assets/app-1a2b3c.js', '/api/nope']) {
    const r = await fetch(srv.url + p);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
    assert.equal(r.headers.get('referrer-policy'), 'same-origin', p);
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/, p);
    // pages may load their own scripts; JSON answers may load nothing
    assert.match(r.headers.get('content-security-policy'),
      p.startsWith('/api/') ? /^default-src 'none'/ : /default-src 'self'/, p);
  }
});

test('static files: MIME types, caching, ETag, SPA fallback', async () => {
  let r = await fetch(srv.url + '/');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  assert.match(await r.text(), /<div id="app">/);
  r = await fetch(srv.url + '/assets/app-1a2b3c.js');
  assert.equal(r.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  const etag = r.headers.get('etag');
  assert.ok(etag);
  await r.text();
  r = await fetch(srv.url + '/assets/app-1a2b3c.js', { headers: { 'if-none-match': etag } });
  assert.equal(r.status, 304);
  r = await fetch(srv.url + '/assets/style-9f.css');
  assert.equal(r.headers.get('content-type'), 'text/css; charset=utf-8');
  await r.text();
  // client-side routes get the app shell
  r = await fetch(srv.url + '/orgs/12');
  assert.equal(r.status, 200);
  assert.match(await r.text(), /<div id="app">/);
  // a missing file with an extension is a real 404
  r = await fetch(srv.url + '/assets/missing.js');
  assert.equal(r.status, 404);
  assert.equal((await r.json()).error.code, 'not_found');
  // hidden files are never served
  r = await fetch(srv.url + '/.env');
  assert.equal(r.status, 400);
});

test('CLI: usage errors exit 2, help exits 0, unknown flags are named', () => {
  let r = run(['frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /未知命令：frobnicate/);
  r = run(['serve', '--bogus']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /未知选项：--bogus/);
  r = run(['serve', '--threads', 'lots']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--threads/);
  for (const c of ['serve', 'init', 'migrate', 'user']) {
    r = run([c, '--help']);
    assert.equal(r.status, 0, c);
    assert.match(r.stdout, /用法/, c);
  }
  r = run(['serve', '--db', join(tmpdir(), 'does-not-exist-' + process.pid + '.db')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /不存在/);
  r = run(['serve', '--log-level', 'loud']);
  assert.equal(r.status, 2);
});

test('CLI: working-day calendar with the 2025 National Day make-up days', () => {
  let r = run(['calendar', 'add-workdays', '2025-09-30', '5']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '2025-10-14'); // 10/1–8 off; 10/9, 10/10, Sat 10/11 (调休), 10/13, 10/14
  r = run(['calendar', 'is-workday', '2025-09-28']);
  assert.match(r.stdout, /工作日/, 'Sunday 9/28 is a make-up working day');
  r = run(['calendar', 'is-workday', '2025-10-08']);
  assert.match(r.stdout, /休息日/);
  r = run(['calendar', 'add-workdays', '2026-02-13', '1', '--db', srv.db]);
  assert.equal(r.stdout.trim(), '2026-02-14', 'Saturday 2/14 is a make-up day before the Spring Festival');
  r = run(['calendar', 'add-workdays', '2025-02-30', '1']);
  assert.equal(r.status, 2);
});

test('init is idempotent and migrate reports the schema version', () => {
  let r = run(['init', '--demo', '--db', srv.db]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /已初始化/);
  r = run(['migrate', '--db', srv.db]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /schema version: \d+/);
});

test('dictionaries: every enum with Chinese labels, permissions and grades included', async () => {
  const d = await (await fetch(srv.url + '/api/dicts')).json();
  for (const name of ['org_kind', 'org_level', 'role', 'dispute_type', 'case_status', 'source', 'party_role', 'audit_action', 'permission', 'grade']) {
    assert.ok(Array.isArray(d[name]) && d[name].length > 0, name);
    for (const e of d[name]) assert.ok(/[\u4e00-\u9fff]/.test(e.label), `${name}.${e.value} has a Chinese label`);
  }
  assert.equal(d.permission.find(p => p.value === 'person.unmask').label, '查看完整身份证号');
  assert.deepEqual(d.grade.map(g => g.value), [1, 2, 3, 4]);
  assert.equal(d.dispute_type.find(t => t.value === 'marriage_family').label, '婚姻家庭纠纷');
});
