"""Puts records with boto3 (botocore's signing and parsing) and prints what Sluice answered as JSON.

Usage: boto3_puts.py ENDPOINT STREAM. Reads no input; exits 0 when every call behaved as expected.
"""
import base64
import json
import sys

import boto3
from botocore.config import Config

endpoint, stream = sys.argv[1], sys.argv[2]
client = boto3.client(
    "firehose",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    config=Config(retries={"max_attempts": 1}),
)
out = {}
single = client.put_record(DeliveryStreamName=stream, Record={"Data": b"boto3 single\n"})
out["single"] = {"RecordId": single["RecordId"], "Encrypted": single["Encrypted"]}
batch = client.put_record_batch(
    DeliveryStreamName=stream, Records=[{"Data": ("boto3 %d\n" % i).encode()} for i in range(3)]
)
out["batch"] = {
    "FailedPutCount": batch["FailedPutCount"],
    "RecordIds": [r.get("RecordId") for r in batch["RequestResponses"]],
    "ErrorCodes": [r.get("ErrorCode") for r in batch["RequestResponses"]],
}
try:
    client.put_record_batch(DeliveryStreamName=stream, Records=[{"Data": b"x"}] * 501)
except client.exceptions.ClientError as e:
    out["tooMany"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}
try:
    client.put_record(DeliveryStreamName="missing-" + stream, Record={"Data": b"x"})
except client.exceptions.ResourceNotFoundException as e:
    out["missing"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}
print(json.dumps(out))
