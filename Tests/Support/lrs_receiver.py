#!/usr/bin/env python3
"""A tiny xAPI Learning Record Store on loopback, for tests of `supportsim export xapi --lrs`.

It listens on 127.0.0.1 on a free port and prints "port N" on its first line of standard output.
It accepts the xAPI 1.0.3 Statement resource:

- POST .../statements with a JSON array (or one object): every statement is checked; any invalid
  one gives 400 and nothing is stored; an id already stored gives 409 Conflict and nothing is
  stored (as the ADL reference LRS does); otherwise all are stored and the answer is 200 with the
  ids.
- PUT .../statements?statementId=ID with one statement: 204 when stored or already held with the
  same content, 409 when held with other content, 400 when invalid.

Every request must carry `X-Experience-API-Version: 1.0.x` (else 400) and, with --auth, HTTP Basic
credentials (else 401). Each stored statement is appended as one JSON line to --store; each
request is logged as one JSON line to --log (method, path, status, count).

Checks per statement: id a UUID; actor an Agent with an account (homePage an absolute IRI, name a
non-empty string) or an mbox; verb.id an absolute IRI; object.id an absolute IRI; result.score.scaled
in [0, 1] when present; result.duration ISO 8601 when present; timestamp ISO 8601 with a zone;
context.registration a UUID; the cmi5 category activity present; the moveOn category present exactly
when result has success or completion; the cmi5 session id extension present.

Usage: lrs_receiver.py --store FILE [--log FILE] [--auth user:pass]
"""

import argparse
import base64
import json
import re
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+[^\s]*$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DURATION = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"


def problems(s):
    """What is wrong with one statement (empty when it is valid)."""
    if not isinstance(s, dict):
        return ["a statement is not an object"]
    out = []
    if not isinstance(s.get("id"), str) or not UUID.match(s["id"]):
        out.append("id is not a UUID")
    actor = s.get("actor")
    if not isinstance(actor, dict):
        out.append("actor is missing")
    else:
        account = actor.get("account")
        if isinstance(account, dict):
            if not isinstance(account.get("homePage"), str) or not IRI.match(account["homePage"]):
                out.append("actor.account.homePage is not an IRI")
            if not isinstance(account.get("name"), str) or not account["name"]:
                out.append("actor.account.name is missing")
        elif not isinstance(actor.get("mbox"), str):
            out.append("actor has neither an account nor an mbox")
    verb = s.get("verb")
    if not isinstance(verb, dict) or not isinstance(verb.get("id"), str) or not IRI.match(verb["id"]):
        out.append("verb.id is not an IRI")
    obj = s.get("object")
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not IRI.match(obj["id"]):
        out.append("object.id is not an IRI")
    result = s.get("result", {})
    if not isinstance(result, dict):
        out.append("result is not an object")
        result = {}
    score = result.get("score")
    if score is not None:
        scaled = score.get("scaled") if isinstance(score, dict) else None
        if scaled is not None and (isinstance(scaled, bool) or not isinstance(scaled, (int, float)) or not 0 <= scaled <= 1):
            out.append("result.score.scaled is not in [0, 1]")
    if "duration" in result and (not isinstance(result["duration"], str) or not DURATION.match(result["duration"])):
        out.append("result.duration is not an ISO 8601 duration")
    if not isinstance(s.get("timestamp"), str) or not TIMESTAMP.match(s["timestamp"]):
        out.append("timestamp is not ISO 8601")
    context = s.get("context")
    if not isinstance(context, dict):
        out.append("context is missing")
        return out
    if not isinstance(context.get("registration"), str) or not UUID.match(context["registration"]):
        out.append("context.registration is not a UUID")
    categories = [a.get("id") for a in context.get("contextActivities", {}).get("category", []) if isinstance(a, dict)]
    if CMI5 not in categories:
        out.append("the cmi5 category activity is missing")
    judged = "success" in result or "completion" in result
    if judged != (MOVEON in categories):
        out.append("the moveOn category must be present exactly when result has success or completion")
    if not isinstance(context.get("extensions", {}).get(SESSION), str):
        out.append("the cmi5 session id extension is missing")
    return out


class Store:
    def __init__(self, path, log):
        self.path, self.log_path = path, log
        self.statements = {}
        self.lock = threading.Lock()

    def log(self, entry):
        if self.log_path:
            with open(self.log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")

    def add(self, statements):
        with open(self.path, "a", encoding="utf-8") as f:
            for s in statements:
                self.statements[s["id"].lower()] = s
                f.write(json.dumps(s, ensure_ascii=False) + "\n")


def make_handler(store, auth):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, body=None, count=0):
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("X-Experience-API-Version", "1.0.3")
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            store.log({"method": self.command, "path": self.path, "status": status, "count": count})

        def checked_body(self):
            """The parsed body, or None after answering with an error."""
            if auth is not None:
                expected = "Basic " + base64.b64encode(auth.encode()).decode()
                if self.headers.get("Authorization") != expected:
                    self.answer(401, {"error": "authentication required"})
                    return None
            if not (self.headers.get("X-Experience-API-Version") or "").startswith("1.0."):
                self.answer(400, {"error": "X-Experience-API-Version 1.0.x is required"})
                return None
            if not urlparse(self.path).path.endswith("/statements"):
                self.answer(404, {"error": "not found"})
                return None
            length = int(self.headers.get("Content-Length") or 0)
            try:
                return json.loads(self.rfile.read(length).decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as error:
                self.answer(400, {"error": "the body is not JSON: %s" % error})
                return None

        def do_POST(self):
            body = self.checked_body()
            if body is None:
                return
            statements = body if isinstance(body, list) else [body]
            errors = [(i, p) for i, s in enumerate(statements) for p in problems(s)]
            if errors:
                self.answer(400, {"error": "invalid statements", "problems": ["#%d: %s" % e for e in errors]})
                return
            with store.lock:
                held = [s["id"] for s in statements if s["id"].lower() in store.statements]
                if held:
                    self.answer(409, {"error": "statements already stored", "ids": held})
                    return
                store.add(statements)
            self.answer(200, [s["id"] for s in statements], count=len(statements))

        def do_PUT(self):
            body = self.checked_body()
            if body is None:
                return
            wanted = parse_qs(urlparse(self.path).query).get("statementId", [None])[0]
            if not isinstance(body, dict) or wanted is None or body.get("id", wanted).lower() != wanted.lower():
                self.answer(400, {"error": "PUT needs one statement and a matching statementId"})
                return
            body.setdefault("id", wanted)
            found = problems(body)
            if found:
                self.answer(400, {"error": "invalid statement", "problems": found})
                return
            with store.lock:
                old = store.statements.get(wanted.lower())
                if old is not None:
                    self.answer(204 if old == body else 409)
                    return
                store.add([body])
            self.answer(204, count=1)

    return Handler


def main():
    # A child of a test runner may inherit blocked signals: let SIGTERM and SIGINT stop the server.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--log")
    parser.add_argument("--auth")
    args = parser.parse_args()
    open(args.store, "a").close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(Store(args.store, args.log), args.auth))
    print("port %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
