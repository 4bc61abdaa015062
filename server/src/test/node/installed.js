// Exits 0 when every dependency of package.json is installed in node_modules at its exact version, else 1:
// bin/test runs npm install only then, so that a second run is a fast no-op.
'use strict';
const fs = require('fs');
const path = require('path');

const wanted = require('./package.json').dependencies;
const missing = Object.entries(wanted).filter(([name, version]) => {
  try {
    const installed = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', name, 'package.json'), 'utf8'));
    return installed.version !== version;
  } catch (notInstalled) {
    return true;
  }
});
process.exit(missing.length === 0 ? 0 : 1);
