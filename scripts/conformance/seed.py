#!/usr/bin/env python3
"""Seeds two test customers (and customer A's history) into a store for rapport-conform.

    seed.py kinto|pocketbase|json-server BASE_URL EMAIL_A PASSWORD_A EMAIL_B PASSWORD_B [ADMIN_EMAIL ADMIN_PASSWORD]

Python's standard library only, so nothing more is installed for it. Each store is seeded the
way its own administrator would: Kinto accounts through its accounts API, PocketBase users and
history records as its superuser, json-server-auth users through /register.
"""
import base64
import json
import sys
import urllib.error
import urllib.request

EVENTS = 23  # more than three pages of seven, with pairs of events sharing a time


def call(method, url, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            text = answer.read()
    except urllib.error.HTTPError as err:
        sys.exit(f"seed: {method} {url} -> {err.code} {err.read()[:300]!r}")
    return json.loads(text) if text else None


def events(owner):
    """Deterministic events in Rapport's shape, `seq` standing in for the store's own id."""
    channels = ["web", "email", "phone", "store", "chat"]
    for i in range(1, EVENTS + 1):
        at = 1_700_000_000 + (i // 2) * 3600
        if i % 3 == 0:
            kind, details = "purchase", {
                "items": [{"product": f"Umbrella {i}", "quantity": 1 + i % 2, "unit_price_minor": 1500}],
                "total_minor": 1500 * (1 + i % 2), "currency": "SEK", "store": "Conform store"}
        elif i % 3 == 1:
            kind, details = "interaction", {"kind": "question", "summary": f"Question {i} from {owner}"}
        else:
            kind, details = "request", {"kind": "export", "status": "done"}
        yield {"seq": i, "channel": channels[i % len(channels)], "occurred_at": at,
               "kind": kind, "details": details}


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def kinto(base, a, pa, b, pb):
    for user, password in ((a, pa), (b, pb)):
        call("PUT", f"{base}/accounts/{user}", {"data": {"password": password}})
    for event in events(a):
        call("POST", f"{base}/buckets/default/collections/history/records",
             {"data": event}, basic(a, pa))
    # B gets a history too, so that "B never sees A's" is not passed by having none.
    for event in list(events(b))[:3]:
        call("POST", f"{base}/buckets/default/collections/history/records",
             {"data": event}, basic(b, pb))


def pocketbase(base, a, pa, b, pb, admin, admin_password):
    token = call("POST", f"{base}/api/collections/_superusers/auth-with-password",
                 {"identity": admin, "password": admin_password})["token"]
    auth = {"Authorization": token}
    ids = {}
    for user, password in ((a, pa), (b, pb)):
        record = call("POST", f"{base}/api/collections/users/records",
                      {"email": user, "password": password, "passwordConfirm": password,
                       "verified": True}, auth)
        ids[user] = record["id"]
    for owner, count in ((a, EVENTS), (b, 3)):
        for event in list(events(owner))[:count]:
            call("POST", f"{base}/api/collections/history/records",
                 dict(event, owner=ids[owner]), auth)


def json_server(base, a, pa, b, pb):
    for user, password in ((a, pa), (b, pb)):
        user_id = str(call("POST", f"{base}/register", {"email": user, "password": password})["user"]["id"])
        # json-server has no create-if-absent, so each customer's documents exist from the start.
        for collection, document in (("profiles", {"name": "", "email": user}), ("preferences", {})):
            call("POST", f"{base}/{collection}",
                 {"id": user_id, "userId": user_id, "document": document, "version": 1})


def main():
    store, base, a, pa, b, pb, *admin = sys.argv[1:]
    {"kinto": lambda: kinto(base, a, pa, b, pb),
     "pocketbase": lambda: pocketbase(base, a, pa, b, pb, *admin),
     "json-server": lambda: json_server(base, a, pa, b, pb)}[store]()


if __name__ == "__main__":
    main()
