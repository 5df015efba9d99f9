#!/usr/bin/env python3
"""Sends logflow's sample data into the compose stack (or any Kinesis and S3 endpoint).

  docker compose run --rm samples          # inside the stack
  python3 deploy/send-samples.py           # from the host, against the ports docker-compose.yml publishes

It makes sure the Kinesis stream and the two buckets exist (the upload bucket and the one Flink keeps checkpoints and
savepoints in), uploads every file under deploy/samples/logs to the upload bucket under the same relative path
(<workspace>/<service>/<yyyy>/<mm>/<dd>/<file>), and puts CloudWatch Logs subscription records into the stream: for
each sample workspace, Lambda invocations in one of its log groups (START, JSON log lines, an error now and then,
END, REPORT), one log group nobody registered (these become unknown_workspace failures after
workspaces.buffer-timeout), and one CONTROL_MESSAGE (a counted drop). Event times are the last few minutes, so the
dashboards show them at once. With --init-only it only creates the stream and the buckets.

Only the Python 3 standard library is used. Requests are signed with AWS Signature Version 4, so the same script works
against AWS itself (give it real credentials and leave the endpoints out; with temporary credentials AWS_SESSION_TOKEN
or --session-token is sent as x-amz-security-token).
"""
import argparse
import base64
import datetime
import gzip
import hashlib
import hmac
import json
import os
import pathlib
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--kinesis-endpoint", default=os.environ.get("LOGFLOW_KINESIS_ENDPOINT", "http://127.0.0.1:4568"))
    p.add_argument("--s3-endpoint", default=os.environ.get("LOGFLOW_S3_ENDPOINT", "http://127.0.0.1:9000"))
    p.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    p.add_argument("--access-key", default=os.environ.get("AWS_ACCESS_KEY_ID", "logflow"))
    p.add_argument("--secret-key", default=os.environ.get("AWS_SECRET_ACCESS_KEY", "logflow-secret"))
    p.add_argument("--session-token", default=os.environ.get("AWS_SESSION_TOKEN") or None,
                   help="with temporary credentials (an assumed role, SSO): sent as the signed x-amz-security-token")
    p.add_argument("--stream", default="logflow-cloudwatch")
    p.add_argument("--shards", type=int, default=2, help="shards of the stream if it has to be created")
    p.add_argument("--bucket", default="logflow-uploads", help="bucket the job's uploads.path points at")
    p.add_argument("--flink-bucket", default="logflow-flink", help="bucket of Flink's checkpoints and savepoints")
    p.add_argument("--samples", default=str(HERE / "samples"), help="folder with logs/ and workspaces.ndjson")
    p.add_argument("--invocations", type=int, default=20, help="Lambda invocations per sample workspace")
    p.add_argument("--init-only", action="store_true", help="only create the stream and the buckets")
    p.add_argument("--wait", type=float, default=120, help="seconds to wait for the endpoints to answer")
    args = p.parse_args(argv)

    aws = Aws(args.region, args.access_key, args.secret_key, args.kinesis_endpoint, args.s3_endpoint,
              args.session_token)
    wait_for(lambda: aws.kinesis("ListStreams", {}), "Kinesis at " + args.kinesis_endpoint, args.wait)
    wait_for(lambda: aws.s3("GET", "/"), "S3 at " + args.s3_endpoint, args.wait)

    aws.ensure_stream(args.stream, args.shards)
    for bucket in (args.bucket, args.flink_bucket):
        aws.ensure_bucket(bucket)
    summary = {"stream": args.stream, "buckets": [args.bucket, args.flink_bucket]}
    if not args.init_only:
        samples = pathlib.Path(args.samples)
        summary["uploads"] = upload_logs(aws, args.bucket, samples / "logs")
        records, events = cloudwatch_records(samples / "workspaces.ndjson", args.invocations)
        aws.put_records(args.stream, records)
        summary["records"] = len(records)
        summary["events"] = events
    print(json.dumps(summary))


# ---- what is sent -------------------------------------------------------------------------------------------------

def upload_logs(aws, bucket, logs):
    uploaded = []
    for path in sorted(p for p in logs.rglob("*") if p.is_file()):
        key = path.relative_to(logs).as_posix()
        aws.s3("PUT", "/" + bucket + "/" + key, path.read_bytes())
        uploaded.append(key)
        print("uploaded s3://%s/%s" % (bucket, key), file=sys.stderr)
    return uploaded


def cloudwatch_records(workspaces_file, invocations):
    """Returns (records, number of log events in them) for the sample workspaces, oldest event first."""
    workspaces = [json.loads(line) for line in workspaces_file.read_text().splitlines() if line.strip()]
    now_ms = int(time.time() * 1000)
    start = now_ms - 10 * 60 * 1000
    records, events = [], 0
    sources = []
    for ws in workspaces:
        if ws.get("deleted") or not ws.get("awsAccountId") or not ws.get("logGroups"):
            continue
        group = ws["logGroups"][0].replace("*", "api")
        sources.append((ws["awsAccountId"], group))
    sources.append(("999999999999", "/aws/lambda/unregistered"))  # nobody claims it: unknown_workspace
    for account, group in sources:
        for i in range(invocations):
            t = start + i * (9 * 60 * 1000 // max(invocations, 1))
            stream = "2026/01/01/[$LATEST]%032x" % (i % 3)
            log_events = [{"id": event_id(t + k, i, k), "timestamp": t + k, "message": m}
                          for k, m in enumerate(lambda_invocation(i))]
            records.append(gzip.compress(json.dumps({
                "messageType": "DATA_MESSAGE", "owner": account, "logGroup": group, "logStream": stream,
                "subscriptionFilters": ["logflow"], "logEvents": log_events}).encode()))
            events += len(log_events)
    records.append(gzip.compress(json.dumps({
        "messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "", "logStream": "",
        "subscriptionFilters": [], "logEvents": [{
            "id": "", "timestamp": now_ms,
            "message": "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."}]}).encode()))
    return records, events


def lambda_invocation(i):
    request = "6f1c%04d-9a2b-4c3d-8e4f-%012d" % (i, i)
    failed = i % 7 == 3
    lines = ["START RequestId: %s Version: $LATEST\n" % request,
             json.dumps({"level": "INFO", "message": "checkout started", "requestId": request, "cart": i})]
    if failed:
        lines.append(json.dumps({"level": "ERROR", "message": "payment declined", "requestId": request,
                                 "reason": "card_expired"}))
    else:
        lines.append(json.dumps({"level": "INFO", "message": "order placed", "requestId": request,
                                 "duration_ms": 40 + (i * 37) % 300}))
    duration = 50.0 + (i * 53) % 400
    lines.append("END RequestId: %s\n" % request)
    lines.append("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\t"
                 "Max Memory Used: 87 MB\t\n" % (request, duration, int(duration) + 1))
    return lines


def event_id(timestamp, stream, index):
    # CloudWatch's ids are 56 digits; these are derived from time and position, so a rerun sends the same ids.
    return "%020d%018d%018d" % (timestamp, stream, index)


# ---- AWS APIs, signed with Signature Version 4 --------------------------------------------------------------------

class Aws:
    def __init__(self, region, access_key, secret_key, kinesis_endpoint, s3_endpoint, session_token=None):
        self.region = region
        self.access_key = access_key
        self.secret_key = secret_key
        self.session_token = session_token
        self.kinesis_endpoint = kinesis_endpoint.rstrip("/")
        self.s3_endpoint = s3_endpoint.rstrip("/")

    def kinesis(self, action, body):
        data = json.dumps(body).encode()
        headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "Kinesis_20131202." + action}
        status, answer = self._send("POST", self.kinesis_endpoint + "/", data, headers, "kinesis")
        if status != 200:
            raise AwsError(status, answer.decode(errors="replace"))
        return json.loads(answer) if answer else {}

    def s3(self, method, path, data=b""):
        url = self.s3_endpoint + urllib.parse.quote(path, safe="/~")
        # urllib would send a body as a form (application/x-www-form-urlencoded), which some servers parse.
        status, answer = self._send(method, url, data, {"Content-Type": "application/octet-stream"}, "s3")
        if status // 100 != 2:
            raise AwsError(status, answer.decode(errors="replace"))
        return answer

    def ensure_stream(self, stream, shards):
        try:
            self.kinesis("CreateStream", {"StreamName": stream, "ShardCount": shards})
            print("created stream %s (%d shards)" % (stream, shards), file=sys.stderr)
        except AwsError as e:
            if "ResourceInUseException" not in e.body:
                raise
        deadline = time.time() + 60
        while self.kinesis("DescribeStreamSummary", {"StreamName": stream})[
                "StreamDescriptionSummary"]["StreamStatus"] != "ACTIVE":
            if time.time() > deadline:
                raise SystemExit("stream %s not ACTIVE after 60 s" % stream)
            time.sleep(0.5)

    def ensure_bucket(self, bucket):
        try:
            self.s3("HEAD", "/" + bucket)
        except AwsError as e:
            if e.status != 404:
                raise
            self.s3("PUT", "/" + bucket)
            print("created bucket %s" % bucket, file=sys.stderr)

    def put_records(self, stream, records):
        """PutRecords in batches of 500, putting again whatever the service rejected (throttling)."""
        for first in range(0, len(records), 500):
            pending = list(range(first, min(first + 500, len(records))))
            for attempt in range(8):
                answer = self.kinesis("PutRecords", {"StreamName": stream, "Records": [
                    {"Data": base64.b64encode(records[i]).decode(), "PartitionKey": "pk-%d" % i} for i in pending]})
                results = answer["Records"]
                pending = [i for i, r in zip(pending, results) if r.get("ErrorCode") or not r.get("ShardId")]
                if not pending:
                    break
                time.sleep(0.2 * 2 ** attempt)
            if pending:
                raise SystemExit("%d records still rejected by %s" % (len(pending), stream))
        print("put %d records into %s" % (len(records), stream), file=sys.stderr)

    def _send(self, method, url, data, headers, service):
        request = urllib.request.Request(url, data=data if method in ("PUT", "POST") else None, method=method,
                                         headers=self._sign(method, url, data, headers, service))
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def _sign(self, method, url, data, headers, service, now=None):
        parts = urllib.parse.urlsplit(url)
        now = now or datetime.datetime.now(datetime.timezone.utc)
        amz_date = now.strftime("%Y%m%dT%H%M%SZ")
        payload_hash = hashlib.sha256(data).hexdigest()
        signed = {k.lower(): v for k, v in headers.items()}
        signed.update({"host": parts.netloc, "x-amz-date": amz_date, "x-amz-content-sha256": payload_hash})
        if self.session_token:
            # Temporary credentials: the token goes with the request and is part of what is signed.
            signed["x-amz-security-token"] = self.session_token
        names = sorted(signed)
        query = "&".join("%s=%s" % (urllib.parse.quote(k, safe="~"), urllib.parse.quote(v, safe="~"))
                         for k, v in sorted(urllib.parse.parse_qsl(parts.query, keep_blank_values=True)))
        canonical = "\n".join([method, parts.path or "/", query,
                               "".join("%s:%s\n" % (n, str(signed[n]).strip()) for n in names),
                               ";".join(names), payload_hash])
        scope = "%s/%s/%s/aws4_request" % (amz_date[:8], self.region, service)
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
        key = ("AWS4" + self.secret_key).encode()
        for part in (amz_date[:8], self.region, service, "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        signed["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
            self.access_key, scope, ";".join(names), signature)
        return signed


class AwsError(Exception):
    def __init__(self, status, body):
        super().__init__("HTTP %d: %s" % (status, body[:500]))
        self.status = status
        self.body = body


def wait_for(call, what, seconds):
    deadline = time.time() + seconds
    while True:
        try:
            call()
            return
        except (OSError, AwsError) as e:
            if time.time() > deadline:
                raise SystemExit("%s did not answer within %d s: %s" % (what, seconds, e))
            time.sleep(1)


if __name__ == "__main__":
    main()
