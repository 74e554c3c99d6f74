// /api/calendar: working-day arithmetic over the State Council notices (2025 National
// Day, 2026 Spring Festival), the year listing, and administrator overrides that change
// both, with validation, roles and audit entries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer, Client, DEMO_PASSWORD } from '../lib/server.mjs';

let server, admin;

async function as(login, password = DEMO_PASSWORD) {
  const c = new Client(server.url);
  const r = await c.login(login, password);
  assert.equal(r.status, 200, `login ${login}: ${r.text}`);
  return c;
}
const add = async (c, date, days) => c.get(`/api/calendar/add-workdays?date=${date}&days=${days}`);

before(async () => {
  server = await startServer();
  admin = await as('admin');
});
after(async () => {
  const r = await server?.stop();
  assert.doesNotMatch(server.log(), /Sanitizer|runtime error/, 'no memory errors or leaks');
  assert.equal(r.code, 0);
  rmSync(server.dir, { recursive: true, force: true });
});

test('add-workdays: holidays skipped, make-up weekends counted', async () => {
  const med = await as('mediator'); // any signed-in user
  // 2025-10-01..08 off; 10-11 (Saturday) is a make-up working day
  for (const [date, days, want] of [
    ['2025-09-30', 5, '2025-10-14'],
    ['2025-09-30', 1, '2025-10-09'],
    ['2025-09-30', 0, '2025-09-30'],
    ['2025-10-03', 0, '2025-10-03'],
    ['2025-09-26', 1, '2025-09-28'], // Friday → the make-up Sunday
    ['2026-02-13', 1, '2026-02-14'], // Friday → make-up Saturday before the Spring Festival
    ['2026-02-14', 1, '2026-02-24'], // then 2-15..23 off
    ['2024-12-31', 365, '2026-06-25'], // counted independently from the notices in DESIGN.md
  ]) {
    const r = await add(med, date, days);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { date: want }, `${date} + ${days}`);
  }
  for (const [q, field] of [['date=2025-02-30&days=1', 'date'], ['date=20250101&days=1', 'date'], ['days=1', 'date'],
    ['date=2025-01-01&days=366', 'days'], ['date=2025-01-01&days=-1', 'days'], ['date=2025-01-01&days=x', 'days'],
    ['date=2025-01-01', 'days'], ['date=2025-01-01&days=1.5', 'days']]) {
    const r = await med.get('/api/calendar/add-workdays?' + q);
    assert.equal(r.status, 400, q);
    assert.equal(r.json.error.field, field, q);
  }
  assert.equal((await new Client(server.url).get('/api/calendar/add-workdays?date=2025-01-01&days=1')).status, 401);
});

test('year listing: the built-in notice', async () => {
  const r = await admin.get('/api/calendar/year/2026');
  assert.equal(r.status, 200);
  assert.equal(r.json.year, 2026);
  const days = r.json.days;
  const day = (d) => days.find((x) => x.date === d);
  assert.deepEqual(day('2026-01-01'), { date: '2026-01-01', working: false, note: '元旦', overridden: false });
  assert.equal(day('2026-01-04').working, true);
  assert.equal(day('2026-01-04').note, '调休上班');
  assert.equal(days.filter((d) => d.note === '春节').length, 9);
  for (let i = 1; i < days.length; i++) assert.ok(days[i].date > days[i - 1].date);
  assert.equal(day('2026-03-02'), undefined, 'ordinary days are not listed');
  // a year without a notice lists nothing; bad years are refused
  assert.deepEqual((await admin.get('/api/calendar/year/2030')).json, { year: 2030, days: [] });
  for (const y of ['abc', '1800', '20266', '-2026']) {
    const b = await admin.get('/api/calendar/year/' + y);
    assert.equal(b.status, 400, y);
    assert.equal(b.json.error.field, 'year');
  }
});

test('overrides: set, list, affect arithmetic, remove; validation, roles, audit', async () => {
  const bureau = await as('bureau'); // holds calendar.write
  // 2027 has no built-in notice: enter New Year's Day and a make-up Saturday
  assert.deepEqual((await add(bureau, '2026-12-31', 1)).json, { date: '2027-01-01' });
  let r = await bureau.post('/api/calendar/overrides', { date: '2027-01-01', working: false, note: '元旦' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { date: '2027-01-01', working: false, note: '元旦', overridden: true });
  r = await bureau.post('/api/calendar/overrides', { date: '2027-01-02', working: true, note: '调休上班' });
  assert.equal(r.status, 200);
  assert.deepEqual((await add(bureau, '2026-12-31', 1)).json, { date: '2027-01-02' });
  assert.deepEqual((await admin.get('/api/calendar/year/2027')).json.days, [
    { date: '2027-01-01', working: false, note: '元旦', overridden: true },
    { date: '2027-01-02', working: true, note: '调休上班', overridden: true },
  ]);
  // replacing an override, and overriding a built-in day
  r = await bureau.post('/api/calendar/overrides', { date: '2027-01-02', working: false });
  assert.deepEqual(r.json, { date: '2027-01-02', working: false, note: null, overridden: true });
  assert.equal((await bureau.post('/api/calendar/overrides', { date: '2026-01-04', working: false, note: '本地调整' })).status, 200);
  const d = (await admin.get('/api/calendar/year/2026')).json.days.find((x) => x.date === '2026-01-04');
  assert.deepEqual(d, { date: '2026-01-04', working: false, note: '本地调整', overridden: true });
  // audit entries name the day
  const a = (await admin.get('/api/audit?action=calendar_update&limit=10')).json.items;
  assert.equal(a.length, 4);
  assert.equal(a[0].object_type, 'calendar');
  assert.equal(a[0].object_id, '2026-01-04');
  assert.equal(a[0].actor_login, 'bureau');
  assert.deepEqual(a[0].detail, { date: '2026-01-04', working: false, note: '本地调整' });
  // removal restores the built-in day
  assert.equal((await bureau.del('/api/calendar/overrides/2026-01-04')).status, 204);
  const back = (await admin.get('/api/calendar/year/2026')).json.days.find((x) => x.date === '2026-01-04');
  assert.deepEqual(back, { date: '2026-01-04', working: true, note: '调休上班', overridden: false });
  const rm = (await admin.get('/api/audit?action=calendar_update&limit=1')).json.items[0];
  assert.deepEqual(rm.detail, { removed: { date: '2026-01-04', working: false, note: '本地调整' } });
  assert.equal((await bureau.del('/api/calendar/overrides/2026-01-04')).status, 404);
  assert.equal((await bureau.del('/api/calendar/overrides/2026-13-04')).status, 400);

  // validation: nothing written
  const audits = (await admin.get('/api/audit?limit=1')).json.total;
  for (const [body, field] of [
    [{ working: true }, 'date'],
    [{ date: '2027-02-30', working: true }, 'date'],
    [{ date: '2027-02-01' }, 'working'],
    [{ date: '2027-02-01', working: 'no' }, 'working'],
    [{ date: '2027-02-01', working: false, note: '节'.repeat(32) }, 'note'],
    [{ date: '2027-02-01', working: false, note: '😀'.repeat(30) }, 'note'], // 120 bytes
    [{ date: '2027-02-01', working: false, colour: 'red' }, 'colour'],
  ]) {
    const b = await bureau.post('/api/calendar/overrides', body);
    assert.equal(b.status, 400, JSON.stringify(body));
    assert.equal(b.json.error.field, field, JSON.stringify(body));
  }
  assert.equal((await admin.get('/api/audit?limit=1')).json.total, audits);
  assert.ok(!(await admin.get('/api/calendar/year/2027')).json.days.some((x) => x.date === '2027-02-01'));
  // roles without calendar.write
  for (const l of ['office', 'mediator', 'auditor', 'partner']) {
    const c = await as(l);
    assert.equal((await c.post('/api/calendar/overrides', { date: '2027-02-01', working: false })).status, 403, l);
    assert.equal((await c.del('/api/calendar/overrides/2027-01-01')).status, 403, l);
  }
  assert.equal((await admin.get('/api/calendar/year/2027')).json.days.length, 2);
  // the overrides survive a restart (they are in the database)
  await server.stop({ keep: true });
  server = await startServer({ dir: server.dir });
  const again = await as('admin');
  assert.equal((await again.get('/api/calendar/year/2027')).json.days.length, 2);
  assert.deepEqual((await add(again, '2026-12-31', 1)).json, { date: '2027-01-04' });
});
