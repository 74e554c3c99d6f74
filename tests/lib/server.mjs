// Test harness: starts a real `tiaojie serve` process on a fresh database file
// and gives a small HTTP client that keeps the session cookie and CSRF token.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.TIAOJIE_BIN || join(root, 'build/asan/tiaojie');
export const WEB = join(root, 'web/dist');
export const DEMO_PASSWORD = 'Tiaojie@2026';

export function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
    s.on('error', rej);
  });
}

// Run the binary synchronously; returns {status, stdout, stderr}.
export function run(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', ...opts });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

// Start a server. opts.demo (default true) runs `init --demo` first; opts.dir reuses a
// directory (to restart on the same database); opts.env adds environment variables.
export async function startServer(opts = {}) {
  const dir = opts.dir || mkdtempSync(join(tmpdir(), 'tiaojie-test-'));
  const db = join(dir, 'tiaojie.db');
  if (!opts.dir) {
    const r = run(['init', ...(opts.demo === false ? [] : ['--demo']), '--db', db]);
    if (r.status !== 0) throw new Error(`init failed (${r.status}): ${r.stderr}`);
  }
  const port = await freePort();
  const env = { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0:fast_unwind_on_malloc=0', UBSAN_OPTIONS: 'print_stacktrace=1', ...(opts.env || {}) };
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web', opts.web || WEB,
    ...(opts.args || [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', d => { log += d; });
  proc.stderr.on('data', d => { log += d; });
  const exited = new Promise(res => proc.on('exit', (code, signal) => res({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    try { const r = await fetch(url + '/api/health'); if (r.status === 200) break; } catch { /* not yet */ }
    if (proc.exitCode !== null) throw new Error('server exited early:\n' + log);
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error('server did not start:\n' + log); }
    await new Promise(r => setTimeout(r, 50));
  }
  return {
    url, dir, db, proc, port,
    log: () => log,
    // Graceful stop; resolves to {code, signal}. keep=true leaves the directory for a restart.
    async stop({ keep = false, signal = 'SIGTERM' } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const r = await exited;
      if (!keep && !opts.dir) rmSync(dir, { recursive: true, force: true });
      // a sanitizer report anywhere in the server's life fails the test that owned it
      const bad = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/.exec(log);
      if (bad) throw new Error('sanitizer report from the server:\n' + log.slice(Math.max(0, bad.index - 200), bad.index + 3000));
      if (signal === 'SIGTERM' && r.code !== 0) throw new Error(`server exited with ${r.code} after SIGTERM:\n` + log.slice(-3000));
      return r;
    },
  };
}

// A JSON client with cookie + CSRF handling.
export class Client {
  constructor(base) { this.base = base; this.cookie = ''; this.csrf = ''; }
  async req(method, path, body, headers = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    if (this.bearer) h.authorization = 'Bearer ' + this.bearer;
    let payload;
    if (body !== undefined) {
      payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
      if (!h['content-type']) h['content-type'] = 'application/json';
    }
    const r = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    const sc = r.headers.get('set-cookie');
    if (sc) { const m = /tj_session=([^;]*)/.exec(sc); if (m) this.cookie = m[1] ? `tj_session=${m[1]}` : ''; }
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, json, text };
  }
  get(p, h) { return this.req('GET', p, undefined, h); }
  post(p, b, h) { return this.req('POST', p, b === undefined ? {} : b, h); }
  patch(p, b, h) { return this.req('PATCH', p, b, h); }
  del(p, h) { return this.req('DELETE', p, undefined, h); }
  async login(login, password = DEMO_PASSWORD) {
    const r = await this.post('/api/auth/login', { login, password });
    if (r.status === 200) { this.csrf = r.json.csrf_token; this.user = r.json.user; }
    return r;
  }
}
