// Runs kinesis-local (a Kinesis-compatible server) listening on loopback only: it binds every interface
// itself and has no setting for the address, so its listen calls are given 127.0.0.1 here. Its settings
// come from the environment (KINESIS_MOCK_PLAIN_PORT, KINESIS_MOCK_TLS_PORT, ...; see its README). It
// reads its TLS certificate (server.json) from the working directory, which is therefore its own folder.
'use strict';
const net = require('net');
const path = require('path');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args.length > 0 && typeof args[0] === 'object' && args[0] !== null) {
    args[0] = Object.assign({}, args[0], { host: '127.0.0.1' });
  } else if (args.length > 0 && (typeof args[0] === 'number' || typeof args[0] === 'string')) {
    const callback = args.find((a) => typeof a === 'function');
    args = callback ? [{ port: Number(args[0]), host: '127.0.0.1' }, callback] : [{ port: Number(args[0]), host: '127.0.0.1' }];
  }
  return listen.apply(this, args);
};

const home = path.dirname(require.resolve('kinesis-local/package.json'));
process.chdir(home);
require(path.join(home, 'main.js'));
