// /api/audit and /api/audit/export: filters, keyset pages, data scope of the log, the
// CSV export (BOM, Chinese headers, quoting, Beijing time, formula guard) and the audit
// entry the export itself leaves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, DEMO_PASSWORD } from '../lib/server.mjs';

let server, admin, orgs;

async function as(login, password = DEMO_PASSWORD) {
  const c = new Client(server.url);
  const r = await c.login(login, password);
  assert.equal(r.status, 200, `login ${login}: ${r.text}`);
  return c;
}
const org = (name) => orgs.find((x) => x.name === name);

// RFC 4180 parser: quoted fields with doubled quotes and embedded line breaks.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

before(async () => {
  server = await startServer();
  admin = await as('admin');
  orgs = (await admin.get('/api/orgs')).json.items;
});
after(async () => {
  const r = await server?.stop();
  assert.doesNotMatch(server.log(), /Sanitizer|runtime error/, 'no memory errors or leaks');
  assert.equal(r.code, 0);
});

test('list: entries of writes and sign-ins, newest first, filters, keyset pages', async () => {
  const office = await as('office');
  const cg = org('青山县城关镇司法所');
  const c = await office.post('/api/orgs', { parent_id: cg.id, name: '审计测试调委会', kind: 'committee', level: 'village' });
  assert.equal(c.status, 201);
  await new Client(server.url).login('office', 'wrong-password');
  const aud = await as('auditor');
  const r = await aud.get('/api/audit?limit=100');
  assert.equal(r.status, 200);
  const items = r.json.items;
  for (let i = 1; i < items.length; i++) assert.ok(items[i].id < items[i - 1].id);
  const e = items.find((x) => x.action === 'create' && x.object_type === 'org');
  assert.equal(e.actor_login, 'office');
  assert.equal(e.org_id, cg.id);
  assert.equal(e.object_id, String(c.json.id));
  assert.equal(e.detail.name, '审计测试调委会');
  assert.match(e.request_id, /^[0-9a-f]{16}$/);
  assert.equal(e.client_ip, '127.0.0.1');
  assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(items.some((x) => x.action === 'login_failed' && x.actor_login === 'office'));
  // filters
  const logins = (await aud.get('/api/audit?action=login&actor=office&limit=100')).json;
  assert.ok(logins.total >= 1 && logins.items.every((x) => x.action === 'login' && x.actor_login === 'office'));
  const orgsOnly = (await aud.get('/api/audit?object_type=org')).json;
  assert.ok(orgsOnly.items.every((x) => x.object_type === 'org'));
  assert.equal((await aud.get(`/api/audit?from=${today()}&to=${today()}`)).json.total, r.json.total);
  assert.equal((await aud.get('/api/audit?to=2000-01-01')).json.total, 0);
  assert.equal((await aud.get('/api/audit?from=2199-01-01')).json.total, 0);
  // pages of 2 walk the same entries
  const ids = [];
  let cursor = '';
  for (;;) {
    const p = await aud.get('/api/audit?limit=2' + (cursor ? '&cursor=' + cursor : ''));
    ids.push(...p.json.items.map((x) => x.id));
    assert.equal(p.json.total, r.json.total);
    if (!p.json.next_cursor) break;
    cursor = p.json.next_cursor;
  }
  assert.ok(ids.length >= items.length);
  assert.deepEqual(ids.slice(-items.length), items.map((x) => x.id).slice(-items.length));
  assert.equal(new Set(ids).size, ids.length);
  // limit over 100 is clamped
  assert.ok((await aud.get('/api/audit?limit=1000')).json.items.length <= 100);
  for (const [q, field] of [['from=2026-13-01', 'from'], ['to=yesterday', 'to'], ['from=2026-02-02&to=2026-02-01', 'to'],
    ['limit=x', 'limit'], ['cursor=0x1', 'cursor'], ['actor=' + 'a'.repeat(65), 'actor']]) {
    const b = await aud.get('/api/audit?' + q);
    assert.equal(b.status, 400, q);
    assert.equal(b.json.error.field, field, q);
  }
});

test('scope: an office reads its subtree only; mediators and partners cannot read the log', async () => {
  const office = await as('office');
  const cg = org('青山县城关镇司法所');
  const r = (await office.get('/api/audit?limit=100')).json;
  assert.ok(r.total > 0);
  const inScope = new Set(orgs.filter((o) => o.path.startsWith(cg.path)).map((o) => o.id));
  assert.ok(r.items.every((e) => inScope.has(e.org_id)), 'only entries of 城关镇 actors');
  assert.ok(!r.items.some((e) => e.actor_login === 'admin'));
  assert.equal((await office.get('/api/audit?actor=admin')).json.total, 0);
  assert.ok((await admin.get('/api/audit?actor=admin')).json.total > 0);
  for (const l of ['mediator', 'informant', 'partner']) {
    const c = await as(l);
    assert.equal((await c.get('/api/audit')).status, 403, l);
    assert.equal((await c.get('/api/audit/export')).status, 403, l);
  }
});

test('export: CSV with BOM, Chinese headers, quoting, Beijing time, formula guard; audited', async () => {
  const office = await as('office');
  const cg = org('青山县城关镇司法所');
  const tricky = '逗号,引号"测试"调委会';
  const c = await office.post('/api/orgs', { parent_id: cg.id, name: tricky, kind: 'committee', level: 'village', address: '第一行\n第二行' });
  assert.equal(c.status, 201, c.text);
  await new Client(server.url).login('=HYPERLINK("http://x")', 'whatever');
  const aud = await as('auditor');
  const list = (await aud.get('/api/audit?limit=100')).json;
  const r = await aud.get('/api/audit/export');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.equal(r.headers.get('content-disposition'), 'attachment; filename="audit.csv"');
  const bytes = new Uint8Array(await (await fetch(server.url + '/api/audit/export', { headers: { cookie: aud.cookie } })).arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const text = r.text.replace(/^\uFEFF/, '');
  const rows = parseCsv(text);
  assert.deepEqual(rows[0], ['时间(北京时间)', '操作人', '机构', '操作', '对象类型', '对象编号', '请求编号', '客户端地址', '详情']);
  assert.ok(rows.slice(1).every((row) => row.length === 9));
  assert.equal(rows.length - 1, list.total, 'every entry, newest first');
  // the org creation row: detail survives quoting intact, time is UTC+8, labels are Chinese
  const entry = list.items.find((e) => e.action === 'create' && e.object_id === String(c.json.id));
  const row = rows.find((x) => x[5] === String(c.json.id) && x[3] === '新增');
  assert.ok(row, 'row of the creation');
  assert.deepEqual(JSON.parse(row[8]), entry.detail);
  assert.equal(JSON.parse(row[8]).name, tricky);
  assert.equal(row[1], 'office');
  assert.equal(row[2], cg.name);
  assert.equal(row[4], '组织机构');
  assert.equal(row[6], entry.request_id);
  assert.equal(row[7], '127.0.0.1');
  const bj = new Date(Date.parse(entry.at) + 8 * 3600e3).toISOString().replace('T', ' ').slice(0, 19);
  assert.equal(row[0], bj);
  // a would-be formula is neutralised
  const evil = rows.find((x) => x[3] === '登录失败' && x[1].includes('HYPERLINK'));
  assert.equal(evil[1], '\'=HYPERLINK("http://x")');
  // filtered export and its own audit entry
  const f = await aud.get('/api/audit/export?action=create&object_type=org');
  const frows = parseCsv(f.text.replace(/^\uFEFF/, '')).slice(1);
  assert.ok(frows.length >= 1 && frows.every((x) => x[3] === '新增' && x[4] === '组织机构'));
  const ex = (await admin.get('/api/audit?action=export&limit=1')).json.items[0];
  assert.equal(ex.actor_login, 'auditor');
  assert.equal(ex.object_type, 'audit');
  assert.equal(ex.detail.action, 'create');
  assert.equal(ex.detail.object_type, 'org');
  assert.equal(ex.detail.rows, frows.length);
  assert.equal((await aud.get('/api/audit/export?from=bad')).status, 400);
});
