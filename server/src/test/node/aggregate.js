// Aggregates Kinesis user records into KPL aggregated records with AWS's aws-kinesis-agg library.
// Input on stdin: one JSON object a line, {"partitionKey": "...", "data": "<base64>"}.
// Output on stdout: one JSON object a line for each aggregated record, in order,
// {"partitionKey": "...", "explicitHashKey": "..." or null, "data": "<base64>"}, to be put as is.
// Exits 1 with the error on stderr if aggregation fails.
'use strict';
const readline = require('readline');
const { aggregate } = require('aws-kinesis-agg');

const records = [];
readline
  .createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() !== '') {
      const record = JSON.parse(line);
      records.push({ partitionKey: record.partitionKey, data: Buffer.from(record.data, 'base64') });
    }
  })
  .on('close', () => {
    let failed = false;
    aggregate(
      records,
      (encoded, done) => {
        process.stdout.write(JSON.stringify({
          partitionKey: encoded.partitionKey,
          explicitHashKey: encoded.explicitHashKey || null,
          data: Buffer.from(encoded.data).toString('base64'),
        }) + '\n');
        done();
      },
      () => process.exit(failed ? 1 : 0),
      (err) => {
        failed = true;
        process.stderr.write(String(err && err.stack ? err.stack : err) + '\n');
      });
  });
