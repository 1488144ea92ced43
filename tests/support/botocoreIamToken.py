"""Signs an ElastiCache IAM auth token with botocore's own SigV4QueryAuth, for fixed credentials and a fixed time.

Reads one JSON object on stdin: cacheName, userId, region, accessKeyId, secretAccessKey, sessionToken (or null),
time (ISO 8601, UTC). Prints the token: the presigned URL without its "http://" scheme, as AWS's IAM auth examples do.
"""
import datetime
import json
import sys

import botocore.auth
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

args = json.load(sys.stdin)
fixed = datetime.datetime.strptime(args["time"], "%Y-%m-%dT%H:%M:%SZ")

# botocore reads the clock through get_current_datetime (newer releases) or datetime.datetime.utcnow (older ones).
if hasattr(botocore.auth, "get_current_datetime"):
    botocore.auth.get_current_datetime = lambda *a, **k: fixed
else:
    class FixedDatetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return fixed

    botocore.auth.datetime.datetime = FixedDatetime

request = AWSRequest(method="GET", url=f"http://{args['cacheName']}/", params={"Action": "connect", "User": args["userId"]})
credentials = Credentials(args["accessKeyId"], args["secretAccessKey"], args.get("sessionToken"))
SigV4QueryAuth(credentials, "elasticache", args["region"], expires=900).add_auth(request)
print(request.prepare().url.replace("http://", "", 1))
