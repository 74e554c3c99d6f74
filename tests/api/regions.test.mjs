// /api/regions and /api/coverage: the division tree, the coverage check (every village and
// community has an undissolved committee) and how it follows new committees, dissolutions
// and new villages; region creation rules, scope and roles.
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
const auditCount = async () => (await admin.get('/api/audit?limit=1')).json.total;

// All villages and communities under a code, walking /api/regions.
async function villagesUnder(c, code) {
  const out = [];
  const kids = (await c.get('/api/regions?parent_code=' + code)).json.items;
  for (const k of kids) {
    if (k.level === 'village' || k.level === 'community') out.push(k);
    else out.push(...await villagesUnder(c, k.code));
  }
  return out;
}

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

test('regions: roots, children, shape', async () => {
  const roots = (await admin.get('/api/regions')).json.items;
  assert.deepEqual(roots, [{ code: '341899', name: '青山县', level: 'county', parent_code: null }]);
  const towns = (await admin.get('/api/regions?parent_code=341899')).json.items;
  assert.equal(towns.length, 10);
  assert.ok(towns.every((t) => t.code.length === 9 && t.code.startsWith('341899') && t.parent_code === '341899'));
  assert.ok(towns.some((t) => t.name === '城关镇' && t.level === 'township'));
  assert.ok(towns.some((t) => t.name === '东坝街道' && t.level === 'street'));
  for (let i = 1; i < towns.length; i++) assert.ok(towns[i].code > towns[i - 1].code);
  assert.deepEqual((await admin.get('/api/regions?parent_code=341899101001')).json.items, []);
  for (const q of ['parent_code=abc', 'parent_code=1234567']) {
    const r = await admin.get('/api/regions?' + q);
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'parent_code');
  }
  // every signed-in role with org.read may read; anonymous may not
  assert.equal((await (await as('partner')).get('/api/regions')).status, 200);
  assert.equal((await new Client(server.url).get('/api/regions')).status, 401);
});

test('coverage: uncovered villages are exactly those without an undissolved committee', async () => {
  const cov = (await admin.get('/api/coverage')).json;
  const villages = await villagesUnder(admin, '341899');
  assert.equal(cov.total, villages.length);
  const committees = new Set(orgs.filter((o) => o.kind === 'committee' && !o.dissolved_on).map((o) => o.region_code));
  const uncovered = villages.filter((v) => !committees.has(v.code));
  assert.ok(uncovered.length >= 1, 'the demo leaves some villages uncovered');
  assert.deepEqual(cov.uncovered.map((u) => u.region_code), uncovered.map((v) => v.code));
  assert.equal(cov.covered, cov.total - uncovered.length);
  assert.equal(cov.rate, cov.covered / cov.total);
  const towns = new Map((await admin.get('/api/regions?parent_code=341899')).json.items.map((t) => [t.code, t.name]));
  for (const u of cov.uncovered) {
    assert.equal(u.name, villages.find((v) => v.code === u.region_code).name);
    assert.equal(u.township, towns.get(u.region_code.slice(0, 9)));
  }
  assert.deepEqual(cov.org, { id: 1, name: '青山县司法局', region_code: '341899' });
  // a township: its own villages only; the default is the caller's org
  const office = await as('office');
  const oc = (await office.get('/api/coverage')).json;
  assert.equal(oc.org.name, '青山县城关镇司法所');
  const cgVillages = await villagesUnder(admin, oc.org.region_code);
  assert.equal(oc.total, cgVillages.length);
  assert.deepEqual((await admin.get('/api/coverage?org_id=' + oc.org.id)).json, oc);
  // another township's coverage is outside the office's scope; bad ids are refused
  const qs = org('青山县青石镇司法所');
  assert.equal((await office.get('/api/coverage?org_id=' + qs.id)).status, 404);
  assert.equal((await admin.get('/api/coverage?org_id=x')).status, 400);
  assert.equal((await admin.get('/api/coverage?org_id=99999')).status, 404);
  // an org without a region code covers nothing
  const noRegion = await admin.post('/api/orgs', { parent_id: 1, name: '无区划工作室', kind: 'studio', level: 'county' });
  assert.equal(noRegion.status, 201);
  const z = (await admin.get('/api/coverage?org_id=' + noRegion.json.id)).json;
  assert.deepEqual([z.total, z.covered, z.rate, z.uncovered], [0, 0, null, []]);
});

test('coverage follows a new committee, its dissolution, and a new village', async () => {
  const before = (await admin.get('/api/coverage')).json;
  const v = before.uncovered[0];
  const office = orgs.find((o) => o.kind === 'judicial_office' && v.region_code.startsWith(o.region_code));
  const c = await admin.post('/api/orgs', { parent_id: office.id, name: v.name + '人民调解委员会', kind: 'committee', level: 'village', region_code: v.region_code });
  assert.equal(c.status, 201, c.text);
  let now = (await admin.get('/api/coverage')).json;
  assert.equal(now.covered, before.covered + 1);
  assert.ok(!now.uncovered.some((u) => u.region_code === v.region_code));
  assert.equal((await admin.post(`/api/orgs/${c.json.id}/dissolve`, { dissolved_on: '2026-06-30' })).status, 200);
  now = (await admin.get('/api/coverage')).json;
  assert.deepEqual(now, before);
  // a studio with the village's code does not count: only committees do
  const s = await admin.post('/api/orgs', { parent_id: office.id, name: '某工作室', kind: 'studio', level: 'village', region_code: v.region_code });
  assert.equal(s.status, 201, s.text);
  assert.deepEqual((await admin.get('/api/coverage')).json, before);
  // a new village: one more to cover
  const r = await admin.post('/api/regions', { code: '341899101299', name: '新建村', level: 'village', parent_code: '341899101' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json, { code: '341899101299', name: '新建村', level: 'village', parent_code: '341899101' });
  now = (await admin.get('/api/coverage')).json;
  assert.equal(now.total, before.total + 1);
  assert.equal(now.covered, before.covered);
  const nu = now.uncovered.find((u) => u.region_code === '341899101299');
  assert.deepEqual(nu, { region_code: '341899101299', name: '新建村', township: '城关镇' });
  const a = (await admin.get('/api/audit?object_type=region&limit=1')).json.items[0];
  assert.equal(a.action, 'create');
  assert.equal(a.object_id, '341899101299');
});

test('regions: creation rules, scope and roles; failures write nothing', async () => {
  const audits = await auditCount();
  const cases = [
    [{ code: '3418991012' }, 'code', 400],
    [{ code: '34189910129x' }, 'code', 400],
    [{ code: undefined }, 'code', 400],
    [{ name: '' }, 'name', 400],
    [{ level: 'planet' }, 'level', 400],
    [{ level: 'township' }, 'level', 400], // 12 digits are a village or community
    [{ parent_code: undefined }, 'parent_code', 400],
    [{ parent_code: '341899102' }, 'parent_code', 400], // not the code's prefix
    [{ code: '341899199201', parent_code: '341899199' }, 'parent_code', 400], // no such township
    [{ code: '341899101201' }, 'code', 409], // exists
    [{ extra: 1 }, 'extra', 400],
  ];
  const good = { code: '341899101298', name: '测试村', level: 'village', parent_code: '341899101' };
  for (const [patch, field, status] of cases) {
    const body = { ...good, ...patch };
    for (const k of Object.keys(patch)) if (patch[k] === undefined) delete body[k];
    const r = await admin.post('/api/regions', body);
    assert.equal(r.status, status, `${JSON.stringify(patch)}: ${r.text}`);
    assert.equal(r.json.error.field, field, JSON.stringify(patch));
  }
  assert.equal(await auditCount(), audits);
  assert.ok(!(await admin.get('/api/regions?parent_code=341899101')).json.items.some((x) => x.code === '341899101298'));
  // a county-level root needs no parent
  const root = await admin.post('/api/regions', { code: '341898', name: '邻县', level: 'county' });
  assert.equal(root.status, 201, root.text);
  assert.ok((await admin.get('/api/regions')).json.items.some((x) => x.code === '341898'));
  // an office adds villages in its own township only
  const office = await as('office');
  const own = await office.post('/api/regions', { code: '341899101297', name: '城关新村', level: 'community', parent_code: '341899101' });
  assert.equal(own.status, 201, own.text);
  const other = await office.post('/api/regions', { code: '341899102297', name: '外乡村', level: 'village', parent_code: '341899102' });
  assert.equal(other.status, 400);
  assert.equal(other.json.error.field, 'code');
  // roles without org.write
  for (const l of ['mediator', 'auditor', 'partner']) {
    const c = await as(l);
    assert.equal((await c.post('/api/regions', good)).status, 403, l);
  }
  assert.ok(!(await admin.get('/api/regions?parent_code=341899101')).json.items.some((x) => x.code === '341899101298'));
});
