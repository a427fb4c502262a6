// minesweep lab: the "pool" host. A fake stratum listener (answers a login with a job and
// keeps the connection) and a tiny HTTP server serving the droppers the lab's cron lines
// pipe to sh. It runs inside the pool host's namespaces and listens on its address only.
// Usage: node pool-server.mjs ADDRESS WWW_DIR PORT...
import net from 'node:net';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const [address, www, ...ports] = process.argv.slice(2);
const logins = [];

for (const port of ports.map(Number)) {
  net.createServer((sock) => {
    sock.on('error', () => {});
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        logins.push({ port, from: sock.remoteAddress, at: new Date().toISOString(), line: line.slice(0, 300) });
        if (logins.length > 1000) logins.shift();
        sock.write(JSON.stringify({ id: 1, jsonrpc: '2.0', error: null, result: { id: 'lab', job: { blob: '00', job_id: '1', target: 'ffffffff' }, status: 'OK' } }) + '\n');
      }
    });
  }).listen(port, address);
}

http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://pool');
  if (url.pathname === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ logins }));
    return;
  }
  // Every dropper path maps to a file by its last segment (i.sh, d.sh, report, bin/…).
  const rel = url.pathname.replace(/^\/+/, '').replace(/\.\.+/g, '');
  const file = path.join(www, rel);
  fs.readFile(file, (err, body) => {
    if (err) { res.writeHead(404); res.end('not found\n'); return; }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(body);
  });
}).listen(8080, address);
