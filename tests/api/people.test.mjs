// /api/people: list filters and keyset pagination, data scope by org subtree (sibling
// townships and villages), identity numbers (validated, masked, sealed, unmask audited),
// field errors that change nothing, role checks, and links outside the caller's scope
// surviving an update.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { startServer, Client } from '../lib/server.mjs';

const PW = 'Qingshan#2026x';
let server, admin, orgs;

// GB 11643 identity number from region, birth date and 3-digit sequence.
function idNumber(seq, birth = '19800101', region = '110101') {
  const f = region + birth + seq;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...f].reduce((a, c, i) => a + Number(c) * w[i], 0);
  return f + '10X98765432'[s % 11];
}
const masked = (id) => id.slice(0, 6) + '********' + id.slice(14);

async function as(login, password = undefined) {
  const c = new Client(server.url);
  const r = password ? await c.login(login, password) : await c.login(login);
  assert.equal(r.status, 200, `login ${login}: ${r.text}`);
  return c;
}
const org = (name) => {
  const o = orgs.find((x) => x.name === name);
  assert.ok(o, `demo org ${name}`);
  return o;
};
async function total(c, q = '') {
  const r = await c.get('/api/people?limit=1' + q);
  assert.equal(r.status, 200, r.text);
  return r.json.total;
}
async function auditCount() {
  return (await admin.get('/api/audit?limit=1')).json.total;
}
async function allPages(c, q) {
  const ids = [];
  let cursor = '';
  for (let i = 0; i < 100; i++) {
    const r = await c.get(`/api/people?limit=100${q}${cursor ? '&cursor=' + cursor : ''}`);
    assert.equal(r.status, 200, r.text);
    ids.push(...r.json.items.map((p) => p.id));
    if (!r.json.next_cursor) return { ids, total: r.json.total, items: r.json.items };
    assert.equal(r.json.items.length, 100);
    cursor = r.json.next_cursor;
  }
  throw new Error('too many pages');
}
async function addUser(login, orgName, role) {
  const r = await admin.post('/api/users', { login, name: login, org_id: org(orgName).id, role, password: PW });
  assert.equal(r.status, 201, r.text);
  return as(login, PW);
}
const base = () => ({
  name: '测试调解员', kind: 'mediator', employment: 'part_time', sex: 'female',
  specialties: ['marriage_family', 'neighbour'], phone: '13912345678', grade: 3,
  orgs: [{ id: org('城关镇西关村人民调解委员会').id, duty: '调解员' }],
});

before(async () => {
  server = await startServer();
  admin = await as('admin');
  orgs = (await admin.get('/api/orgs?include_dissolved=1')).json.items;
});
after(async () => {
  const r = await server?.stop();
  assert.doesNotMatch(server.log(), /Sanitizer|runtime error/, 'no memory errors or leaks');
  assert.equal(r.code, 0);
});

test('list: keyset pagination walks every person once, newest first, total matches', async () => {
  const { ids, total: t } = await allPages(admin, '');
  assert.ok(t > 300, `demo has hundreds of people (${t})`);
  assert.equal(ids.length, t);
  assert.equal(new Set(ids).size, ids.length);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i] < ids[i - 1], 'ids descend');
  const first = await admin.get('/api/people?limit=7');
  assert.equal(first.json.items.length, 7);
  assert.equal(first.json.next_cursor, String(first.json.items[6].id));
  const second = await admin.get('/api/people?limit=7&cursor=' + first.json.next_cursor);
  assert.deepEqual(second.json.items.map((p) => p.id), ids.slice(7, 14));
  // shape of a person: masked identity number only, orgs with names
  const p = first.json.items[0];
  for (const k of ['id', 'name', 'sex', 'kind', 'employment', 'profession', 'background', 'specialties', 'phone',
    'id_number_masked', 'grade', 'orgs', 'active', 'created_at', 'updated_at']) assert.ok(k in p, k);
  assert.equal(p.id_number, undefined);
  assert.match(p.id_number_masked, /^\d{6}\*{8}\d{3}[\dX]$/);
  assert.ok(p.orgs.length >= 1 && p.orgs[0].name);
});

test('list filters: kind, employment, grade, specialty, q, org_id, active', async () => {
  const kinds = ['mediator', 'informant', 'volunteer', 'expert', 'legal_advisor'];
  const all = await total(admin);
  let sum = 0;
  for (const k of kinds) {
    const r = await admin.get('/api/people?limit=100&kind=' + k);
    assert.ok(r.json.items.every((p) => p.kind === k), k);
    sum += r.json.total;
  }
  assert.equal(sum, all, 'kinds partition the list');
  const ft = await admin.get('/api/people?limit=100&kind=mediator&employment=full_time');
  assert.ok(ft.json.total > 0 && ft.json.items.every((p) => p.employment === 'full_time' && p.kind === 'mediator'));
  const g = await admin.get('/api/people?limit=100&grade=2');
  assert.ok(g.json.total > 0 && g.json.items.every((p) => p.grade === 2));
  const sp = await allPages(admin, '&specialty=debt');
  assert.ok(sp.ids.length > 0);
  const spItems = (await admin.get('/api/people?limit=100&specialty=debt')).json.items;
  assert.ok(spItems.every((p) => p.specialties.includes('debt')));
  const someone = spItems[0];
  const byName = await admin.get('/api/people?limit=100&q=' + encodeURIComponent(someone.name));
  assert.ok(byName.json.items.some((p) => p.id === someone.id));
  assert.ok(byName.json.items.every((p) => p.name.includes(someone.name)));
  // LIKE wildcards are literal
  assert.equal((await admin.get('/api/people?q=%25')).json.total, 0);
  assert.equal((await admin.get('/api/people?q=_')).json.total, 0);
  // org_id: the org's subtree
  const cg = org('青山县城关镇司法所');
  const inCg = await allPages(admin, '&org_id=' + cg.id);
  const paths = new Map(orgs.map((o) => [o.id, o.path]));
  const r = await admin.get('/api/people?limit=100&org_id=' + cg.id);
  assert.ok(r.json.items.every((p) => p.orgs.some((o) => paths.get(o.id).startsWith(cg.path))));
  const qs = org('青山县青石镇司法所');
  const inQs = await allPages(admin, '&org_id=' + qs.id);
  assert.ok(inCg.ids.length > 10 && inQs.ids.length > 10);
  assert.equal(inCg.ids.filter((id) => inQs.ids.includes(id)).length, 0, 'townships are disjoint');
  assert.equal(await total(admin, '&active=1'), all, 'demo people are all active');
  assert.equal(await total(admin, '&active=0'), 0);
});

test('list: every bad parameter is a 400 naming it', async () => {
  for (const [q, field] of [['kind=judge', 'kind'], ['employment=x', 'employment'], ['specialty=love', 'specialty'],
    ['grade=5', 'grade'], ['grade=a', 'grade'], ['active=yes', 'active'], ['limit=0', 'limit'],
    ['limit=x', 'limit'], ['cursor=-3', 'cursor'], ['org_id=999999', 'org_id'], ['q=' + 'a'.repeat(51), 'q']]) {
    const r = await admin.get('/api/people?' + q);
    assert.equal(r.status, 400, q);
    assert.equal(r.json.error.field, field, q);
  }
});

test('data scope: other townships and sibling villages are invisible (list 0, get/patch/unmask 404)', async () => {
  const office = await as('office'); // 城关镇司法所
  const office2 = await addUser('office_qs', '青山县青石镇司法所', 'office_staff');
  const mediator = await as('mediator'); // 城关镇东关社区
  const cgTotal = await total(office);
  const qsTotal = await total(office2);
  assert.equal(cgTotal, (await allPages(admin, '&org_id=' + org('青山县城关镇司法所').id)).ids.length);
  assert.equal(qsTotal, (await allPages(admin, '&org_id=' + org('青山县青石镇司法所').id)).ids.length);
  const cgIds = (await allPages(office, '')).ids;
  const qsIds = (await allPages(office2, '')).ids;
  assert.equal(cgIds.filter((id) => qsIds.includes(id)).length, 0);
  // the mediator sees only its own committee's people
  const dg = org('城关镇东关社区人民调解委员会');
  const medList = (await mediator.get('/api/people?limit=100')).json;
  assert.ok(medList.total > 0 && medList.total < 10);
  assert.ok(medList.items.every((p) => p.orgs.length >= 1 && p.orgs.every((o) => o.id === dg.id)));
  // a 城关镇 person from 青石镇: 404 everywhere, and not by filtering either
  const target = cgIds.find((id) => !medList.items.some((p) => p.id === id));
  assert.equal((await office2.get('/api/people/' + target)).status, 404);
  assert.equal((await office2.patch('/api/people/' + target, { name: '改名' })).status, 404);
  assert.equal((await office2.post('/api/people/' + target + '/unmask')).status, 404);
  assert.equal((await mediator.get('/api/people/' + target)).status, 404, 'sibling village');
  const f = await office2.get('/api/people?org_id=' + org('青山县城关镇司法所').id);
  assert.equal(f.status, 400);
  assert.equal(f.json.error.field, 'org_id');
  // an ancestor of one's own org means "all I see"
  assert.equal(await total(office2, '&org_id=' + org('青山县司法局').id), qsTotal);
  // unchanged by the attempts
  assert.notEqual((await admin.get('/api/people/' + target)).json.name, '改名');
});

test('create: identity number sealed and masked, sex from the number, audit without the number', async () => {
  const id = idNumber('024', '19760512');
  const before = await total(admin);
  const body = { ...base(), id_number: id, sex: undefined };
  delete body.sex;
  const r = await admin.post('/api/people', body);
  assert.equal(r.status, 201, r.text);
  const p = r.json;
  assert.equal(p.id_number_masked, masked(id));
  assert.equal(p.sex, 'female', '17th digit even');
  assert.deepEqual(p.specialties, ['marriage_family', 'neighbour']);
  assert.equal(p.grade, 3);
  assert.equal(p.active, true);
  assert.deepEqual(p.orgs, [{ id: org('城关镇西关村人民调解委员会').id, name: '城关镇西关村人民调解委员会', duty: '调解员' }]);
  assert.ok(!r.text.includes(id));
  assert.equal(await total(admin), before + 1);
  const got = await admin.get('/api/people/' + p.id);
  assert.deepEqual(got.json, p);
  assert.ok(!got.text.includes(id));
  // audit: create with the masked number
  const a = (await admin.get('/api/audit?action=create&object_type=person&limit=1')).json.items[0];
  assert.equal(a.object_id, String(p.id));
  assert.equal(a.actor_login, 'admin');
  assert.equal(a.detail.id_number, masked(id));
  assert.equal(a.detail.name, body.name);
  assert.ok(!JSON.stringify(a).includes(id));
  // the database file never holds the number in clear
  const bytes = [server.db, server.db + '-wal'].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
  assert.ok(!bytes.includes(id), 'no clear identity number in the database');
  // unmask: office (person.unmask) gets it, audited; mediator cannot
  const office = await as('office');
  const auditsBefore = await auditCount();
  const u = await office.post(`/api/people/${p.id}/unmask`);
  assert.equal(u.status, 200, u.text);
  assert.deepEqual(u.json, { id_number: id });
  assert.equal(await auditCount(), auditsBefore + 1);
  const ua = (await admin.get('/api/audit?action=unmask&limit=1')).json.items[0];
  assert.equal(ua.actor_login, 'office');
  assert.equal(ua.object_type, 'person');
  assert.equal(ua.object_id, String(p.id));
  assert.ok(!JSON.stringify(ua).includes(id));
  const med = await as('mediator');
  assert.equal((await med.post(`/api/people/${p.id}/unmask`)).status, 403);
  // a lowercase x is normalised; a person without a number has nothing to unmask
  const noId = await admin.post('/api/people', { name: '无证件', kind: 'volunteer', orgs: base().orgs });
  assert.equal(noId.status, 201);
  assert.equal(noId.json.id_number_masked, null);
  assert.equal((await admin.post(`/api/people/${noId.json.id}/unmask`)).status, 404);
});

test('create: every bad field is a 400 naming it and nothing is written', async () => {
  const office = await as('office');
  const people = await total(admin);
  const audits = await auditCount();
  const goodId = idNumber('135');
  const wrongCheck = goodId.slice(0, 17) + (goodId[17] === '0' ? '1' : '0');
  const qsVillage = orgs.find((o) => o.path.startsWith(org('青山县青石镇司法所').path) && o.kind === 'committee');
  const cases = [
    [{ name: undefined }, 'name'],
    [{ name: '   ' }, 'name'],
    [{ name: '名'.repeat(31) }, 'name'],
    [{ kind: 'judge' }, 'kind'],
    [{ kind: undefined }, 'kind'],
    [{ sex: 'x' }, 'sex'],
    [{ employment: 'sometimes' }, 'employment'],
    [{ profession: 'astronaut' }, 'profession'],
    [{ specialties: ['debt', 'love'] }, 'specialties[1]'],
    [{ specialties: ['debt', 'debt'] }, 'specialties[1]'],
    [{ specialties: 'debt' }, 'specialties'],
    [{ phone: '12345' }, 'phone'],
    [{ id_number: wrongCheck }, 'id_number'],
    [{ id_number: '11010119801332' + '1234' }, 'id_number'],
    [{ id_number: goodId, sex: 'female' }, 'sex'], // '135': odd → male
    [{ grade: 5 }, 'grade'],
    [{ grade: '3' }, 'grade'],
    [{ kind: 'volunteer', grade: 2 }, 'grade'],
    [{ active: 'yes' }, 'active'],
    [{ orgs: [] }, 'orgs'],
    [{ orgs: undefined }, 'orgs'],
    [{ orgs: [{ duty: '主任' }] }, 'orgs[0].id'],
    [{ orgs: [{ id: 999999 }] }, 'orgs[0].id'],
    [{ orgs: [base().orgs[0], { id: qsVillage.id }] }, 'orgs[1].id'], // outside 城关镇 for office
    [{ orgs: [base().orgs[0], base().orgs[0]] }, 'orgs[1].id'],
    [{ orgs: [{ id: org('城关镇南街村人民调解委员会').id, duty: '职'.repeat(21) }] }, 'orgs[0].duty'],
    [{ nickname: '老王' }, 'nickname'],
  ];
  for (const [patch, field] of cases) {
    const body = { ...base(), ...patch };
    for (const k of Object.keys(patch)) if (patch[k] === undefined) delete body[k];
    const r = await office.post('/api/people', body);
    assert.equal(r.status, 400, `${JSON.stringify(patch)}: ${r.text}`);
    assert.equal(r.json.error.field, field, JSON.stringify(patch));
    assert.ok(r.json.error.message.length > 0);
  }
  // the same identity number twice: 409 on the field, the second not written
  const dup = idNumber('246');
  assert.equal((await office.post('/api/people', { ...base(), id_number: dup })).status, 201);
  const again = await office.post('/api/people', { ...base(), name: '重复', id_number: dup });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.field, 'id_number');
  assert.equal(await total(admin), people + 1);
  assert.equal(await auditCount(), audits + 1);
});

test('roles: mediator and auditor cannot write (403), nothing changes', async () => {
  const med = await as('mediator');
  const aud = await as('auditor');
  const n = await total(admin);
  const mine = (await med.get('/api/people?limit=1')).json.items[0];
  assert.equal((await med.post('/api/people', base())).status, 403);
  assert.equal((await med.patch('/api/people/' + mine.id, { name: 'x' })).status, 403);
  assert.equal((await aud.post('/api/people', base())).status, 403);
  assert.equal((await aud.patch('/api/people/' + mine.id, { name: 'x' })).status, 403);
  assert.equal((await aud.post(`/api/people/${mine.id}/unmask`)).status, 403);
  assert.ok((await aud.get('/api/people')).json.total >= n, 'auditor reads');
  assert.equal(await total(admin), n);
  assert.equal((await admin.get('/api/people/' + mine.id)).json.name, mine.name);
});

test('update: fields, clearing, orgs; links outside the caller scope survive; failures roll back', async () => {
  const office = await as('office');
  const qsVillage = orgs.find((o) => o.path.startsWith(org('青山县青石镇司法所').path) && o.kind === 'committee');
  const xg = org('城关镇西关村人民调解委员会'), nj = org('城关镇南街村人民调解委员会');
  const created = await admin.post('/api/people', {
    ...base(), sex: 'male', id_number: idNumber('357', '19650203'), orgs: [{ id: xg.id, duty: '主任' }, { id: qsVillage.id, duty: '顾问' }],
  });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  assert.equal(created.json.orgs.length, 2);
  assert.equal(created.json.sex, 'male');
  // office of 城关镇 sees only the 城关镇 link
  const seen = (await office.get('/api/people/' + id)).json;
  assert.deepEqual(seen.orgs.map((o) => o.id), [xg.id]);
  // change fields and move the 城关镇 link
  const r = await office.patch('/api/people/' + id, {
    name: '新名字', specialties: ['debt'], phone: null, grade: null, background: '退休教师',
    orgs: [{ id: nj.id, duty: '委员' }],
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, '新名字');
  assert.deepEqual(r.json.specialties, ['debt']);
  assert.equal(r.json.phone, null);
  assert.equal(r.json.grade, null);
  assert.equal(r.json.background, '退休教师');
  assert.deepEqual(r.json.orgs, [{ id: nj.id, name: nj.name, duty: '委员' }]);
  assert.equal(r.json.id_number_masked, created.json.id_number_masked, 'untouched');
  // admin sees the 青石镇 link kept
  const full = (await admin.get('/api/people/' + id)).json;
  assert.deepEqual(full.orgs.map((o) => o.id).sort((a, b) => a - b), [nj.id, qsVillage.id].sort((a, b) => a - b));
  // the specialty filter follows the change
  assert.ok((await admin.get('/api/people?limit=100&specialty=debt&q=' + encodeURIComponent('新名字'))).json.items.some((p) => p.id === id));
  assert.ok(!(await admin.get('/api/people?limit=100&specialty=neighbour&q=' + encodeURIComponent('新名字'))).json.items.some((p) => p.id === id));
  // audit of the update
  const a = (await admin.get('/api/audit?action=update&object_type=person&limit=1')).json.items[0];
  assert.equal(a.object_id, String(id));
  assert.equal(a.actor_login, 'office');
  assert.equal(a.detail.name, '新名字');
  // a failing update leaves everything as it was
  const audits = await auditCount();
  for (const [body, field] of [
    [{ name: '不该保存', orgs: [{ id: qsVillage.id }] }, 'orgs[0].id'],
    [{ name: '不该保存', kind: 'expert', grade: 2 }, 'grade'],
    [{ name: null }, 'name'],
    [{ kind: '' }, 'kind'],
    [{ name: '  ' }, 'name'],
    [{ orgs: null }, 'orgs'],
    [{ name: '不该保存', id_number: '123' }, 'id_number'],
  ]) {
    const bad = await office.patch('/api/people/' + id, body);
    assert.equal(bad.status, 400, JSON.stringify(body));
    assert.equal(bad.json.error.field, field);
  }
  assert.equal((await office.patch('/api/people/' + id, {})).status, 400);
  assert.equal(await auditCount(), audits);
  assert.deepEqual((await admin.get('/api/people/' + id)).json, full);
  // deactivate: active=0 filter finds it; a new identity number replaces the old
  const newId = idNumber('468', '19700101');
  const d = await office.patch('/api/people/' + id, { active: false, id_number: newId, sex: 'female' });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.active, false);
  assert.equal(d.json.id_number_masked, masked(newId));
  assert.ok((await office.get('/api/people?active=0')).json.items.some((p) => p.id === id));
  assert.equal((await office.post(`/api/people/${id}/unmask`)).json.id_number, newId);
  // clearing the number
  const c = await office.patch('/api/people/' + id, { id_number: null });
  assert.equal(c.json.id_number_masked, null);
  assert.equal((await office.post(`/api/people/${id}/unmask`)).status, 404);
});
