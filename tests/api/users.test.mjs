// /api/users: listing and pagination within the admin's subtree, creation with the
// password policy and role/org rules, updates (disabling ends sessions, no self-lockout),
// admin password reset, audit entries without secrets, and an admin of a township who
// cannot touch anything outside it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, DEMO_PASSWORD } from '../lib/server.mjs';

const PW = 'Qingshan#2026x';
let server, admin, orgs;

async function as(login, password = DEMO_PASSWORD) {
  const c = new Client(server.url);
  const r = await c.login(login, password);
  assert.equal(r.status, 200, `login ${login}: ${r.text}`);
  return c;
}
const org = (name) => {
  const o = orgs.find((x) => x.name === name);
  assert.ok(o, name);
  return o;
};
const userCount = async () => (await admin.get('/api/users?limit=1')).json.total;
const auditCount = async () => (await admin.get('/api/audit?limit=1')).json.total;
const lastAudit = async (q) => (await admin.get('/api/audit?limit=1&' + q)).json.items[0];

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

test('list: the demo accounts, newest first, filters and keyset pages', async () => {
  const r = await admin.get('/api/users?limit=100');
  assert.equal(r.status, 200);
  const logins = r.json.items.map((u) => u.login);
  for (const l of ['admin', 'bureau', 'office', 'mediator', 'informant', 'partner', 'auditor']) assert.ok(logins.includes(l), l);
  assert.equal(r.json.total, r.json.items.length);
  assert.equal(r.json.next_cursor, undefined);
  const u = r.json.items.find((x) => x.login === 'office');
  assert.deepEqual(Object.keys(u).sort(), ['created_at', 'disabled', 'id', 'last_login_at', 'login', 'name', 'org_id', 'org_name', 'phone', 'role'].sort());
  assert.equal(u.role, 'office_staff');
  assert.equal(u.org_name, '青山县城关镇司法所');
  assert.equal(u.disabled, false);
  assert.ok(!r.text.includes('argon2') && !r.text.includes('pw_hash'));
  // pages of 3 cover the same ids in the same order
  const ids = [];
  let cursor = '';
  for (;;) {
    const p = await admin.get('/api/users?limit=3' + (cursor ? '&cursor=' + cursor : ''));
    ids.push(...p.json.items.map((x) => x.id));
    if (!p.json.next_cursor) break;
    cursor = p.json.next_cursor;
  }
  assert.deepEqual(ids, r.json.items.map((x) => x.id));
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i] < ids[i - 1]);
  // filters
  const med = await admin.get('/api/users?role=mediator');
  assert.deepEqual(med.json.items.map((x) => x.login), ['mediator']);
  const cg = await admin.get('/api/users?org_id=' + org('青山县城关镇司法所').id);
  assert.deepEqual(cg.json.items.map((x) => x.login).sort(), ['informant', 'mediator', 'office']);
  const q = await admin.get('/api/users?q=' + encodeURIComponent('李秀梅'));
  assert.deepEqual(q.json.items.map((x) => x.login), ['office']);
  assert.equal((await admin.get('/api/users?q=offi')).json.items[0].login, 'office');
  assert.equal((await admin.get('/api/users?disabled=1')).json.total, 0);
  for (const [qs, field] of [['role=king', 'role'], ['disabled=maybe', 'disabled'], ['limit=-1', 'limit'], ['org_id=x', 'org_id'], ['org_id=99999', 'org_id']]) {
    const b = await admin.get('/api/users?' + qs);
    assert.equal(b.status, 400, qs);
    assert.equal(b.json.error.field, field, qs);
  }
  // only user.manage (admin) may list
  for (const l of ['bureau', 'office', 'mediator', 'auditor', 'partner']) {
    assert.equal((await (await as(l)).get('/api/users')).status, 403, l);
  }
});

test('create: the account signs in; audit has no password; every bad field is a 400 and writes nothing', async () => {
  const n = await userCount();
  const r = await admin.post('/api/users', {
    login: 'wang.dm', name: '王德明二', org_id: org('城关镇西关村人民调解委员会').id, role: 'mediator', phone: '13812345678', password: PW,
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.login, 'wang.dm');
  assert.equal(r.json.org_name, '城关镇西关村人民调解委员会');
  assert.equal(r.json.phone, '13812345678');
  assert.equal(r.json.disabled, false);
  assert.equal(r.json.last_login_at, null);
  assert.equal(r.json.password, undefined);
  assert.equal(await userCount(), n + 1);
  const c = await as('wang.dm', PW);
  assert.equal(c.user.role, 'mediator');
  const a = await lastAudit('action=create&object_type=user');
  assert.equal(a.object_id, String(r.json.id));
  assert.equal(a.detail.login, 'wang.dm');
  assert.ok(!('password' in a.detail));
  assert.ok(!JSON.stringify(a).includes(PW));

  const audits = await auditCount();
  const users = await userCount();
  const good = { login: 'zhang3', name: '张三', org_id: org('城关镇西关村人民调解委员会').id, role: 'informant', password: PW };
  const cases = [
    [{ login: undefined }, 'login', 400],
    [{ login: 'x' }, 'login', 400],
    [{ login: '张三' }, 'login', 400],
    [{ login: 'a b' }, 'login', 400],
    [{ login: '-lead' }, 'login', 400],
    [{ login: 'wang.dm' }, 'login', 409],
    [{ name: '' }, 'name', 400],
    [{ role: 'king' }, 'role', 400],
    [{ org_id: undefined }, 'org_id', 400],
    [{ org_id: 0 }, 'org_id', 400],
    [{ org_id: 999999 }, 'org_id', 400],
    [{ role: 'partner' }, 'role', 400], // partner role at a committee
    [{ org_id: org('青山县公安局城关派出所').id, role: 'mediator' }, 'role', 400],
    [{ phone: '555' }, 'phone', 400],
    [{ password: 'short1!' }, 'password', 400],
    [{ password: '1234567890123' }, 'password', 400],
    [{ password: 'zhang3zhang3!!' }, 'password', 400],
    [{ password: undefined }, 'password', 400],
    [{ is_admin: true }, 'is_admin', 400],
  ];
  for (const [patch, field, status] of cases) {
    const body = { ...good, ...patch };
    for (const k of Object.keys(patch)) if (patch[k] === undefined) delete body[k];
    const b = await admin.post('/api/users', body);
    assert.equal(b.status, status, `${JSON.stringify(patch)}: ${b.text}`);
    assert.equal(b.json.error.field, field, JSON.stringify(patch));
  }
  assert.equal(await userCount(), users);
  assert.equal(await auditCount(), audits);
  assert.equal((await new Client(server.url).login('zhang3', PW)).status, 401);
});

test('a township admin manages only its subtree', async () => {
  const qs = org('青山县青石镇司法所');
  const r = await admin.post('/api/users', { login: 'qsadmin', name: '青石管理员', org_id: qs.id, role: 'admin', password: PW });
  assert.equal(r.status, 201, r.text);
  const qa = await as('qsadmin', PW);
  const list = await qa.get('/api/users?limit=100');
  assert.deepEqual(list.json.items.map((u) => u.login), ['qsadmin']);
  const office = (await admin.get('/api/users?q=office')).json.items.find((u) => u.login === 'office');
  assert.equal((await qa.patch('/api/users/' + office.id, { name: '改' })).status, 404);
  assert.equal((await qa.post(`/api/users/${office.id}/password`, { password: PW })).status, 404);
  const out = await qa.post('/api/users', { login: 'outsider', name: '外', org_id: org('城关镇西关村人民调解委员会').id, role: 'mediator', password: PW });
  assert.equal(out.status, 400);
  assert.equal(out.json.error.field, 'org_id');
  const up = await qa.post('/api/users', { login: 'upper', name: '上', org_id: org('青山县司法局').id, role: 'admin', password: PW });
  assert.equal(up.status, 400);
  assert.equal(up.json.error.field, 'org_id');
  // inside: fine; and it cannot move the account out of its subtree
  const village = orgs.find((o) => o.path.startsWith(qs.path) && o.kind === 'committee' && o.level === 'village');
  const inside = await qa.post('/api/users', { login: 'qs.med', name: '青石调解员', org_id: village.id, role: 'mediator', password: PW });
  assert.equal(inside.status, 201, inside.text);
  const mv = await qa.patch('/api/users/' + inside.json.id, { org_id: org('城关镇西关村人民调解委员会').id });
  assert.equal(mv.status, 400);
  assert.equal(mv.json.error.field, 'org_id');
  assert.equal((await admin.get('/api/users?q=qs.med')).json.items[0].org_id, village.id);
  assert.equal((await admin.get('/api/users?q=office')).json.items.find((u) => u.login === 'office').name, '李秀梅');
});

test('update: fields, disabling ends sessions, self-protection, audit', async () => {
  const created = await admin.post('/api/users', { login: 'li4', name: '李四', org_id: org('城关镇南街村人民调解委员会').id, role: 'informant', password: PW });
  assert.equal(created.status, 201);
  const id = created.json.id;
  const li = await as('li4', PW);
  assert.equal((await li.get('/api/auth/me')).status, 200);
  const r = await admin.patch('/api/users/' + id, { name: '李四改', role: 'mediator', phone: '0558-6012148', org_id: org('城关镇北街村人民调解委员会').id });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, '李四改');
  assert.equal(r.json.role, 'mediator');
  assert.equal(r.json.phone, '0558-6012148');
  assert.equal(r.json.org_name, '城关镇北街村人民调解委员会');
  // the live session follows the new role at once
  assert.equal((await li.get('/api/auth/me')).json.user.role, 'mediator');
  assert.equal((await admin.patch('/api/users/' + id, { phone: null })).json.phone, null);
  const a = await lastAudit('action=update&object_type=user');
  assert.equal(a.object_id, String(id));
  assert.equal(a.detail.phone, null);
  // bad fields
  for (const [body, field] of [[{ role: 'partner' }, 'role'], [{ name: null }, 'name'], [{ role: '' }, 'role'], [{ name: '' }, 'name'], [{ disabled: 'yes' }, 'disabled'],
    [{ phone: 'abc' }, 'phone'], [{ login: 'renamed' }, 'login'], [{ org_id: org('青山县公安局城关派出所').id }, 'role']]) {
    const b = await admin.patch('/api/users/' + id, body);
    assert.equal(b.status, 400, JSON.stringify(body));
    assert.equal(b.json.error.field, field, JSON.stringify(body));
  }
  assert.equal((await admin.patch('/api/users/' + id, {})).status, 400);
  assert.equal((await admin.patch('/api/users/99999', { name: 'x' })).status, 404);
  // disable: the session dies, sign-in is refused; enable: sign-in works again
  const d = await admin.patch('/api/users/' + id, { disabled: true });
  assert.equal(d.json.disabled, true);
  assert.equal((await li.get('/api/auth/me')).status, 401);
  const refused = await new Client(server.url).login('li4', PW);
  assert.equal(refused.status, 403);
  assert.equal(refused.json.error.code, 'account_disabled');
  assert.deepEqual((await admin.get('/api/users?disabled=1')).json.items.map((u) => u.login), ['li4']);
  assert.equal((await admin.patch('/api/users/' + id, { disabled: false })).json.disabled, false);
  await as('li4', PW);
  // an admin cannot disable, demote or move itself
  const me = admin.user.id;
  for (const body of [{ disabled: true }, { role: 'bureau_staff' }, { org_id: org('青山县城关镇司法所').id }]) {
    const b = await admin.patch('/api/users/' + me, body);
    assert.equal(b.status, 403, JSON.stringify(body));
  }
  assert.equal((await admin.get('/api/auth/me')).json.user.role, 'admin');
  assert.equal((await admin.patch('/api/users/' + me, { name: '管理员' })).status, 200, 'renaming oneself is fine');
});

test('password reset: policy, old password dead, sessions ended, audited without the password', async () => {
  const created = await admin.post('/api/users', { login: 'zhao6', name: '赵六', org_id: org('城关镇南街村人民调解委员会').id, role: 'mediator', password: PW });
  const id = created.json.id;
  const z = await as('zhao6', PW);
  const bad = await admin.post(`/api/users/${id}/password`, { password: 'zhao6zhao6zhao6' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'password');
  assert.equal((await admin.post(`/api/users/${id}/password`, {})).json.error.field, 'password');
  assert.equal((await z.get('/api/auth/me')).status, 200, 'failed reset changes nothing');
  const NEW = 'Another#Pass2027';
  const r = await admin.post(`/api/users/${id}/password`, { password: NEW });
  assert.equal(r.status, 204);
  assert.equal((await z.get('/api/auth/me')).status, 401, 'sessions ended');
  assert.equal((await new Client(server.url).login('zhao6', PW)).status, 401);
  await as('zhao6', NEW);
  const a = await lastAudit('action=password_reset');
  assert.equal(a.object_type, 'user');
  assert.equal(a.object_id, String(id));
  assert.ok(!JSON.stringify(a).includes(NEW));
  assert.equal((await admin.post('/api/users/99999/password', { password: NEW })).status, 404);
  // only admins
  const office = await as('office');
  assert.equal((await office.post(`/api/users/${id}/password`, { password: NEW })).status, 403);
  const aud = await as('auditor');
  assert.equal((await aud.patch(`/api/users/${id}`, { name: 'x' })).status, 403);
  assert.equal((await aud.post('/api/users', { login: 'x1', name: 'x', org_id: 1, role: 'auditor', password: PW })).status, 403);
});
