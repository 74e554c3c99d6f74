// The organisation tree: create, edit, move, dissolve, rules, data scope, audit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';

let srv, admin, office, mediator, partner, auditor;
let orgs; // admin's full list
const byName = n => orgs.find(o => o.name === n);

before(async () => {
  srv = await startServer();
  admin = new Client(srv.url); await admin.login('admin');
  office = new Client(srv.url); await office.login('office');
  mediator = new Client(srv.url); await mediator.login('mediator');
  partner = new Client(srv.url); await partner.login('partner');
  auditor = new Client(srv.url); await auditor.login('auditor');
  orgs = (await admin.get('/api/orgs')).json.items;
});
after(async () => { await srv.stop(); });

test('the demo county is a real tree', () => {
  const root = orgs[0];
  assert.equal(root.kind, 'bureau');
  assert.equal(root.parent_id, null);
  assert.equal(root.path, `/${root.id}/`);
  const offices = orgs.filter(o => o.kind === 'judicial_office');
  assert.equal(offices.length, 10);
  for (const o of orgs.slice(1)) {
    const parent = orgs.find(p => p.id === o.parent_id);
    assert.ok(parent, o.name);
    assert.equal(o.path, parent.path + o.id + '/');
  }
  const villages = orgs.filter(o => o.kind === 'committee' && ['village', 'community'].includes(o.level));
  assert.ok(villages.length >= 80, 'at least 8 villages per township');
  assert.ok(orgs.filter(o => o.kind === 'partner').length >= 4);
  assert.ok(orgs.some(o => o.kind === 'dispatched_room' && o.host === 'court'));
});

test('scope: an office sees its township, its ancestors, nothing of other townships', async () => {
  const r = await office.get('/api/orgs');
  const mine = byName('青山县城关镇司法所');
  const names = r.json.items.map(o => o.name);
  assert.ok(names.includes('青山县司法局'), 'ancestor visible');
  assert.ok(names.includes('青山县城关镇司法所'));
  assert.ok(!names.includes('青山县河口镇司法所'), 'sibling township hidden');
  for (const o of r.json.items) assert.ok(o.path.startsWith(mine.path) || mine.path.startsWith(o.path), o.name);
  const other = byName('青山县河口镇司法所');
  assert.equal((await office.get('/api/orgs/' + other.id)).status, 404);
  assert.equal((await office.patch('/api/orgs/' + other.id, { phone: '123' })).status, 404);
  // an ancestor is readable but not writable
  const root = orgs[0];
  const g = await office.get('/api/orgs/' + root.id);
  assert.equal(g.status, 200);
  assert.equal(g.json.writable, false);
  assert.equal((await office.patch('/api/orgs/' + root.id, { phone: '123' })).status, 404);
});

test('scope: a partner sees the committees of its county to refer to, not offices or other partners', async () => {
  const r = await partner.get('/api/orgs');
  assert.equal(r.status, 200);
  const kinds = new Set(r.json.items.map(o => o.kind));
  assert.ok(kinds.has('committee'));
  assert.ok(!r.json.items.some(o => o.kind === 'partner' && o.name !== '青山县公安局城关派出所'));
  assert.ok(!kinds.has('judicial_office'));
  assert.equal((await partner.post('/api/orgs', { parent_id: 1, name: 'x', kind: 'committee', level: 'village' })).status, 403);
});

test('roles: mediator and auditor cannot write orgs (403)', async () => {
  const parent = byName('青山县城关镇司法所');
  for (const c of [mediator, auditor]) {
    const r = await c.post('/api/orgs', { parent_id: parent.id, name: '测试调委会', kind: 'committee', level: 'village' });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'forbidden');
  }
});

test('create, edit, move, dissolve a committee; each step audited', async () => {
  const office1 = byName('青山县城关镇司法所');
  let r = await office.post('/api/orgs', { parent_id: office1.id, name: '城关镇新建村人民调解委员会', kind: 'committee', level: 'village', region_code: '341899101299', address: '新建村村委会', phone: '0558-6000000', founded_on: '2026-10-01' });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const id = r.json.id;
  assert.equal(r.json.path, office1.path + id + '/');
  assert.equal(r.json.parent_name, '青山县城关镇司法所');
  assert.equal(r.json.founded_on, '2026-10-01');
  r = await office.patch('/api/orgs/' + id, { name: '城关镇新建社区人民调解委员会', level: 'community', phone: null });
  assert.equal(r.status, 200);
  assert.equal(r.json.name, '城关镇新建社区人民调解委员会');
  assert.equal(r.json.level, 'community');
  assert.equal(r.json.phone, null);
  assert.equal(r.json.address, '新建村村委会', 'fields not sent are kept');
  // committee with a host is refused, and nothing changes
  r = await office.patch('/api/orgs/' + id, { host: 'court' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'host');
  assert.equal((await office.get('/api/orgs/' + id)).json.host, null);
  // office cannot move it out of its township (target not in scope)
  const other = byName('青山县河口镇司法所');
  r = await office.post(`/api/orgs/${id}/move`, { parent_id: other.id });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'parent_id');
  // admin can
  r = await admin.post(`/api/orgs/${id}/move`, { parent_id: other.id });
  assert.equal(r.status, 200);
  assert.equal(r.json.path, other.path + id + '/');
  assert.equal((await office.get('/api/orgs/' + id)).status, 404, 'now outside the office scope');
  r = await admin.post(`/api/orgs/${id}/dissolve`, { dissolved_on: '2026-11-20' });
  assert.equal(r.status, 200);
  assert.equal(r.json.dissolved_on, '2026-11-20');
  r = await admin.post(`/api/orgs/${id}/dissolve`, { dissolved_on: '2026-11-21' });
  assert.equal(r.status, 409);
  const list = (await admin.get('/api/orgs')).json.items;
  assert.ok(!list.some(o => o.id === id), 'dissolved hidden by default');
  const all = (await admin.get('/api/orgs?include_dissolved=1')).json.items;
  assert.ok(all.some(o => o.id === id));
  const audit = await admin.get('/api/audit?object_type=org&limit=20');
  if (audit.status === 200) {
    // the refused host change wrote nothing, so exactly these four entries exist
    const mineEntries = audit.json.items.filter(e => e.object_id === String(id)).map(e => e.action).sort();
    assert.deepEqual(mineEntries, ['create', 'dissolve', 'move', 'update']);
  }
});

test('rules: kinds need the right fields and parents; moves cannot make cycles', async () => {
  const office1 = byName('青山县城关镇司法所');
  let r = await admin.post('/api/orgs', { parent_id: office1.id, name: '某派驻室', kind: 'dispatched_room', level: 'township' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'host');
  r = await admin.post('/api/orgs', { parent_id: office1.id, name: '某单位', kind: 'partner', level: 'township' });
  assert.equal(r.json.error.field, 'partner_type');
  r = await admin.post('/api/orgs', { parent_id: office1.id, name: '某司法所', kind: 'judicial_office', level: 'township' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'parent_id');
  r = await admin.post('/api/orgs', { parent_id: office1.id, name: 'x', kind: 'committee', level: 'village', region_code: '12ab' });
  assert.equal(r.json.error.field, 'region_code');
  const before = (await admin.get('/api/orgs?include_dissolved=1')).json.total;
  const root = orgs[0];
  r = await admin.post(`/api/orgs/${root.id}/move`, { parent_id: office1.id });
  assert.ok([403, 409].includes(r.status));
  const child = orgs.find(o => o.parent_id === office1.id && o.kind === 'committee');
  r = await admin.post(`/api/orgs/${office1.id}/move`, { parent_id: child.id });
  assert.equal(r.status, 409);
  r = await admin.post(`/api/orgs/${office1.id}/dissolve`, { dissolved_on: '2026-11-20' });
  assert.equal(r.status, 409, 'cannot dissolve with live children');
  assert.equal((await admin.get('/api/orgs?include_dissolved=1')).json.total, before, 'nothing half-written');
  assert.equal((await admin.get('/api/orgs/' + office1.id)).json.dissolved_on, null);
});

test('search by name and kind', async () => {
  let r = await admin.get('/api/orgs?q=' + encodeURIComponent('派出所'));
  assert.ok(r.json.items.length >= 2);
  assert.ok(r.json.items.every(o => o.name.includes('派出所')));
  r = await admin.get('/api/orgs?kind=judicial_office');
  assert.equal(r.json.items.length, 10);
  r = await admin.get('/api/orgs?kind=castle');
  assert.equal(r.status, 400);
});
