// /api/tokens: a partner token works as a Bearer credential with its role's permissions
// only, is shown once and stored hashed, dies on revocation; validation, scope, roles and
// audit entries that never contain the token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
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
const bearer = (token) => { const c = new Client(server.url); c.bearer = token; return c; };
const tokenCount = async () => (await admin.get('/api/tokens')).json.items.length;
const auditCount = async () => (await admin.get('/api/audit?limit=1')).json.total;
const dbBytes = () => [server.db, server.db + '-wal'].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');

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

test('a partner token reads orgs, may not write, and dies when revoked', async () => {
  const police = org('青山县公安局城关派出所');
  const r = await admin.post('/api/tokens', { name: '派出所警务平台', org_id: police.id, role: 'partner' });
  assert.equal(r.status, 201, r.text);
  const { id, token } = r.json;
  assert.match(token, /^tj_[A-Za-z0-9_-]{43}$/);
  assert.equal(r.json.role, 'partner');
  // shown once: the list has no token, the database only its hash
  const list = await admin.get('/api/tokens');
  const t = list.json.items.find((x) => x.id === id);
  assert.deepEqual(Object.keys(t).sort(), ['created_at', 'id', 'last_used_at', 'name', 'org_id', 'org_name', 'revoked_at', 'role']);
  assert.equal(t.org_name, police.name);
  assert.equal(t.revoked_at, null);
  assert.equal(t.last_used_at, null);
  assert.ok(!list.text.includes(token));
  assert.ok(!dbBytes().includes(token), 'token not stored in clear');

  const p = bearer(token);
  const o = await p.get('/api/orgs');
  assert.equal(o.status, 200, o.text);
  assert.ok(o.json.items.some((x) => x.id === police.id));
  // partners also see the referral targets (committees), never other partners' subtrees
  assert.ok(o.json.items.some((x) => x.kind === 'committee'));
  const me = await p.get('/api/auth/me');
  assert.equal(me.json.user.role, 'partner');
  assert.equal(me.json.user.org_id, police.id);
  const w = await p.post('/api/orgs', { parent_id: police.id, name: '不该建', kind: 'committee', level: 'county' });
  assert.equal(w.status, 403);
  assert.equal(w.json.error.code, 'forbidden');
  assert.equal((await p.get('/api/people')).status, 403);
  assert.equal((await p.get('/api/tokens')).status, 403);
  assert.ok(!(await admin.get('/api/orgs?q=' + encodeURIComponent('不该建'))).json.items.length);
  assert.ok((await admin.get('/api/tokens')).json.items.find((x) => x.id === id).last_used_at, 'use is recorded');

  // revoke: 204, then 401 for the token; a second revoke is a conflict
  const audits = await auditCount();
  assert.equal((await admin.del('/api/tokens/' + id)).status, 204);
  assert.equal(await auditCount(), audits + 1);
  const dead = await p.get('/api/orgs');
  assert.equal(dead.status, 401);
  assert.equal(dead.json.error.code, 'unauthenticated');
  assert.equal((await admin.del('/api/tokens/' + id)).status, 409);
  assert.ok((await admin.get('/api/tokens')).json.items.find((x) => x.id === id).revoked_at);
  assert.equal((await admin.del('/api/tokens/99999')).status, 404);
  // a made-up token is refused too
  assert.equal((await bearer('tj_' + 'A'.repeat(43)).get('/api/orgs')).status, 401);

  // audit: create and revoke, without the token
  const entries = (await admin.get('/api/audit?object_type=token&limit=10')).json.items;
  assert.deepEqual(entries.map((e) => e.action), ['token_revoke', 'token_create']);
  assert.ok(entries.every((e) => e.object_id === String(id) && e.actor_login === 'admin'));
  assert.deepEqual(entries[1].detail, { name: '派出所警务平台', org_id: police.id, role: 'partner' });
  assert.ok(!JSON.stringify(entries).includes(token));
});

test('a token acts as its role: a bureau-staff token can write orgs in its subtree', async () => {
  const r = await admin.post('/api/tokens', { name: '县平台', org_id: org('青山县司法局').id, role: 'bureau_staff' });
  assert.equal(r.status, 201);
  const b = bearer(r.json.token);
  const c = await b.post('/api/orgs', { parent_id: org('青山县城关镇司法所').id, name: '令牌新建调委会', kind: 'committee', level: 'village' });
  assert.equal(c.status, 201, c.text);
  const a = (await admin.get('/api/audit?action=create&object_type=org&limit=1')).json.items[0];
  assert.equal(a.actor_login, 'token:' + r.json.id);
  assert.equal((await b.get('/api/users')).status, 403);
});

test('validation, scope and roles: bad requests write nothing', async () => {
  const n = await tokenCount();
  const audits = await auditCount();
  const good = { name: '法院系统', org_id: org('青山县人民法院').id, role: 'partner' };
  for (const [patch, field] of [
    [{ role: 'admin', org_id: org('青山县司法局').id }, 'role'],
    [{ role: 'king' }, 'role'],
    [{ role: 'mediator' }, 'role'], // non-partner role at a partner org
    [{ org_id: org('青山县医疗纠纷人民调解委员会').id }, 'role'], // partner role at a committee
    [{ org_id: 999999 }, 'org_id'],
    [{ org_id: 'x' }, 'org_id'],
    [{ name: '' }, 'name'],
    [{ name: 'n'.repeat(51) }, 'name'],
    [{ token: 'mine' }, 'token'],
  ]) {
    const r = await admin.post('/api/tokens', { ...good, ...patch });
    assert.equal(r.status, 400, JSON.stringify(patch));
    assert.equal(r.json.error.field, field, JSON.stringify(patch));
  }
  assert.equal(await tokenCount(), n);
  assert.equal(await auditCount(), audits);
  // only token.manage (admin)
  for (const l of ['bureau', 'office', 'partner', 'auditor']) {
    const c = await as(l);
    assert.equal((await c.get('/api/tokens')).status, 403, l);
    assert.equal((await c.post('/api/tokens', good)).status, 403, l);
  }
  // a township admin sees and manages only its subtree's tokens
  const qs = org('青山县青石镇司法所');
  assert.equal((await admin.post('/api/users', { login: 'qsadmin', name: '青石管理员', org_id: qs.id, role: 'admin', password: PW })).status, 201);
  const qa = await as('qsadmin', PW);
  assert.deepEqual((await qa.get('/api/tokens')).json.items, []);
  const out = await qa.post('/api/tokens', good);
  assert.equal(out.status, 400);
  assert.equal(out.json.error.field, 'org_id');
  const anyToken = (await admin.get('/api/tokens')).json.items[0];
  assert.equal((await qa.del('/api/tokens/' + anyToken.id)).status, 404);
  const own = await qa.post('/api/tokens', { name: '青石网格平台', org_id: qs.id, role: 'office_staff' });
  assert.equal(own.status, 201, own.text);
  assert.deepEqual((await qa.get('/api/tokens')).json.items.map((t) => t.id), [own.json.id]);
  // its view of orgs is the township only
  const seen = (await bearer(own.json.token).get('/api/orgs')).json.items;
  assert.ok(seen.every((o) => o.path.startsWith(qs.path) || qs.path.startsWith(o.path)));
});
