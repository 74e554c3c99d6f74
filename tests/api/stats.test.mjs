// /api/stats/overview: every figure agrees with the lists it summarises, for the county
// and for a township office (data scope), and follows changes (dissolving an org,
// deactivating a person, disabling an account).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, DEMO_PASSWORD } from '../lib/server.mjs';

let server, admin;

async function as(login, password = DEMO_PASSWORD) {
  const c = new Client(server.url);
  const r = await c.login(login, password);
  assert.equal(r.status, 200, `login ${login}: ${r.text}`);
  return c;
}
const peopleTotal = async (c, q) => (await c.get('/api/people?limit=1&active=1' + q)).json.total;

// The overview recomputed from the list endpoints, as the caller sees them.
async function expected(c, who) {
  const orgs = (await c.get('/api/orgs')).json.items.filter((o) => o.path.startsWith(who.path) && !o.dissolved_on);
  const byKind = {};
  for (const o of orgs) byKind[o.kind] = (byKind[o.kind] || 0) + 1;
  const people = {};
  for (const k of ['mediator', 'informant', 'volunteer', 'expert', 'legal_advisor']) {
    const n = await peopleTotal(c, '&kind=' + k);
    if (n) people[k] = n;
  }
  return { byKind, people };
}

before(async () => {
  server = await startServer();
  admin = await as('admin');
});
after(async () => {
  const r = await server?.stop();
  assert.doesNotMatch(server.log(), /Sanitizer|runtime error/, 'no memory errors or leaks');
  assert.equal(r.code, 0);
});

test('county overview equals the lists it summarises', async () => {
  const r = await admin.get('/api/stats/overview');
  assert.equal(r.status, 200);
  const ov = r.json;
  const root = (await admin.get('/api/orgs/1')).json;
  assert.deepEqual(ov.org, { id: root.id, name: '青山县司法局' });
  const exp = await expected(admin, root);
  assert.deepEqual(ov.orgs_by_kind, exp.byKind);
  assert.equal(ov.orgs_by_kind.judicial_office, 10);
  assert.equal(ov.orgs_by_kind.bureau, 1);
  assert.deepEqual(ov.people_by_kind, exp.people);
  assert.deepEqual(ov.mediators_by_employment, {
    full_time: await peopleTotal(admin, '&kind=mediator&employment=full_time'),
    part_time: await peopleTotal(admin, '&kind=mediator&employment=part_time'),
  });
  assert.equal(ov.mediators_by_employment.full_time + ov.mediators_by_employment.part_time, ov.people_by_kind.mediator);
  assert.equal(ov.users, (await admin.get('/api/users?disabled=0&limit=1')).json.total);
  assert.equal(ov.users, 8, 'the demo accounts, one per role');
  const cov = (await admin.get('/api/coverage')).json;
  assert.deepEqual(ov.coverage, { total: cov.total, covered: cov.covered, rate: cov.rate });
  assert.ok(cov.total > 100 && cov.covered < cov.total);
});

test('a township office sees its township only, and every signed-in role gets its own scope', async () => {
  const office = await as('office');
  const ov = (await office.get('/api/stats/overview')).json;
  const me = (await office.get('/api/orgs/' + office.user.org_id)).json;
  assert.equal(ov.org.name, '青山县城关镇司法所');
  const exp = await expected(office, me);
  assert.deepEqual(ov.orgs_by_kind, exp.byKind);
  assert.equal(ov.orgs_by_kind.judicial_office, 1);
  assert.equal(ov.orgs_by_kind.bureau, undefined);
  assert.deepEqual(ov.people_by_kind, exp.people);
  assert.equal(ov.people_by_kind.expert, undefined, 'county experts are outside the township');
  assert.equal(ov.users, 3, 'office, mediator, informant');
  const cov = (await office.get('/api/coverage')).json;
  assert.equal(cov.org.region_code.length, 9);
  assert.deepEqual(ov.coverage, { total: cov.total, covered: cov.covered, rate: cov.rate });
  const county = (await admin.get('/api/stats/overview')).json;
  assert.ok(ov.people_by_kind.mediator < county.people_by_kind.mediator);
  // the mediator: its committee; the partner: its agency
  const med = (await (await as('mediator')).get('/api/stats/overview')).json;
  assert.equal(med.orgs_by_kind.committee, 1);
  assert.equal(med.users, 2);
  const partner = (await (await as('partner')).get('/api/stats/overview')).json;
  assert.deepEqual(partner.orgs_by_kind, { partner: 1 });
  assert.deepEqual(partner.people_by_kind, {});
  assert.equal((await new Client(server.url).get('/api/stats/overview')).status, 401);
});

test('figures follow changes: dissolved org, inactive person, disabled account, new committee', async () => {
  const before = (await admin.get('/api/stats/overview')).json;
  const office = await as('office');
  const cg = office.user.org_id;
  // a new village committee on an uncovered village raises committees and coverage
  const cov = (await admin.get('/api/coverage')).json;
  const village = cov.uncovered[0];
  const parent = (await admin.get('/api/orgs')).json.items.find((o) => o.kind === 'judicial_office' && village.region_code.startsWith(o.region_code));
  const c = await admin.post('/api/orgs', { parent_id: parent.id, name: village.name + '人民调解委员会', kind: 'committee', level: 'village', region_code: village.region_code });
  assert.equal(c.status, 201, c.text);
  let now = (await admin.get('/api/stats/overview')).json;
  assert.equal(now.orgs_by_kind.committee, before.orgs_by_kind.committee + 1);
  assert.equal(now.coverage.covered, before.coverage.covered + 1);
  // dissolve it again
  assert.equal((await admin.post(`/api/orgs/${c.json.id}/dissolve`, { dissolved_on: '2026-01-01' })).status, 200);
  now = (await admin.get('/api/stats/overview')).json;
  assert.equal(now.orgs_by_kind.committee, before.orgs_by_kind.committee);
  assert.equal(now.coverage.covered, before.coverage.covered);
  // a full-time mediator leaves
  const p = (await office.get('/api/people?kind=mediator&employment=full_time&limit=1')).json.items[0];
  assert.equal((await office.patch('/api/people/' + p.id, { active: false })).status, 200);
  now = (await admin.get('/api/stats/overview')).json;
  assert.equal(now.people_by_kind.mediator, before.people_by_kind.mediator - 1);
  assert.equal(now.mediators_by_employment.full_time, before.mediators_by_employment.full_time - 1);
  // an account is disabled
  const informant = (await admin.get('/api/users?role=informant')).json.items[0];
  assert.equal((await admin.patch('/api/users/' + informant.id, { disabled: true })).status, 200);
  now = (await admin.get('/api/stats/overview')).json;
  assert.equal(now.users, before.users - 1);
  assert.equal((await office.get('/api/stats/overview')).json.users, 2);
  assert.ok(cg);
});
