// Preloaded into a gateway process by no-telemetry.test.ts: records every outbound connection
// (host and port) the process opens, so the test can prove where it connects.
const net = require('node:net');
const dns = require('node:dns');
const fs = require('node:fs');
const out = process.env.NET_GUARD_FILE;
const record = (what) => fs.appendFileSync(out, `${what}\n`);
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const opts = typeof args[0] === 'object' && args[0] !== null ? (Array.isArray(args[0]) ? args[0][0] : args[0]) : { port: args[0], host: args[1] };
  record(`connect ${opts.path ? `unix:${opts.path}` : `${opts.host ?? 'localhost'}:${opts.port}`}`);
  return connect.apply(this, args);
};
const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  record(`dns ${hostname}`);
  return lookup.call(this, hostname, ...rest);
};
