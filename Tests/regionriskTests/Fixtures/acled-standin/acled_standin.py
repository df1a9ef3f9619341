#!/usr/bin/env python3
"""A loopback stand-in for ACLED's API, for the `regionrisk fetch acled` tests.

It follows the shapes ACLED documents and its R client acledR uses (see
Sources/RegionRiskFetch/ACLEDAPI.swift): POST /oauth/token (form username, password,
grant_type=password, client_id=acled) -> {"access_token", "token_type": "Bearer", ...};
GET /api/acled/read?_format=json&country=..&limit=..&page=.. and /api/deleted/read with
"Authorization: Bearer ..." -> {"status": 200, "success": true, "count": n, "data": [...]},
every field a string.

Usage: acled_standin.py STATE_DIR. It reads, on every request, STATE_DIR/events.json (the event
rows), STATE_DIR/deleted.json (deleted ids with their deleted_timestamp) and, when present,
STATE_DIR/faults.json ({"PATH page N": [status, ...]}: statuses answered, once each, before the
real answer, with Retry-After: 1 on 429). It appends each request to STATE_DIR/requests.jsonl
and prints its port on the first line of standard output.
"""
import json
import os
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = sys.argv[1]
EMAIL, PASSWORD, TOKEN = os.environ["STANDIN_EMAIL"], os.environ["STANDIN_PASSWORD"], "standin-token-7f3a"


def load(name, default):
    try:
        with open(os.path.join(STATE, name)) as f:
            return json.load(f)
    except FileNotFoundError:
        return default


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def record(self, entry):
        with open(os.path.join(STATE, "requests.jsonl"), "a") as f:
            f.write(json.dumps(entry) + "\n")

    def reply(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def injected_fault(self, key):
        faults = load("faults.json", {})
        pending = faults.get(key, [])
        if not pending:
            return False
        status = pending.pop(0)
        with open(os.path.join(STATE, "faults.json"), "w") as f:
            json.dump(faults, f)
        headers = [("Retry-After", "1")] if status == 429 else []
        self.reply(status, {"status": status, "success": False, "error": {"message": "injected"}}, headers)
        return True

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        field = lambda k: form.get(k, [""])[0]
        self.record({"path": self.path, "username": field("username"), "password_ok": field("password") == PASSWORD,
                     "grant_type": field("grant_type"), "client_id": field("client_id")})
        if self.path != "/oauth/token":
            return self.reply(404, {"error": "not found"})
        if field("grant_type") != "password" or field("client_id") != "acled":
            return self.reply(400, {"error": "unsupported_grant_type"})
        if field("username") != EMAIL or field("password") != PASSWORD:
            return self.reply(401, {"error": "invalid_grant", "error_description": "The user credentials were incorrect.",
                                    "message": "The user credentials were incorrect."})
        self.reply(200, {"token_type": "Bearer", "expires_in": 86400, "access_token": TOKEN, "refresh_token": "standin-refresh"})

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        authorized = self.headers.get("Authorization") == "Bearer " + TOKEN
        self.record({"path": url.path, "query": q, "authorized": authorized})
        if not authorized:
            return self.reply(401, {"message": "Unauthorized"})
        limit, page = int(q.get("limit", "5000")), int(q.get("page", "1"))
        if self.injected_fault(f"{url.path} page {page}"):
            return
        if url.path == "/api/acled/read":
            rows = [r for r in load("events.json", []) if r["country"] == q.get("country")]
            if "timestamp" in q and q.get("timestamp_where") == ">=":
                rows = [r for r in rows if int(r["timestamp"]) >= int(q["timestamp"])]
        elif url.path == "/api/deleted/read":
            rows = load("deleted.json", [])
            if "deleted_timestamp" in q and q.get("deleted_timestamp_where") == ">=":
                rows = [r for r in rows if int(r["deleted_timestamp"]) >= int(q["deleted_timestamp"])]
        else:
            return self.reply(404, {"message": "not found"})
        data = rows[(page - 1) * limit: page * limit]
        self.reply(200, {"status": 200, "success": True, "last_update": 0, "count": len(data), "messages": [], "data": data})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
