"""Drives the official Python SDK (webexpythonsdk) against the spark emulator.

Usage: python check.py BASE_URL ACCESS_TOKEN MEMBER_EMAIL [ADMIN_SECRET]

With the emulator's admin secret, it also switches a 429 on through the control API
(`/_emulator`) and checks in the emulator's request log that the SDK waited and retried.

Each step prints one line; the first failure raises and ends the run with a non-zero status.
"""

import json
import os
import sys
import tempfile
import urllib.request

import webexpythonsdk


PASSED = []


def step(name, value=""):
    PASSED.append(name)
    print(f"ok  {name}{': ' + str(value) if value != '' else ''}", flush=True)


def control(base_url, secret, method, path, body=None):
    """One call to the emulator's control API; its JSON answer, or None for no body."""
    root = base_url.rstrip("/")
    if root.endswith("/v1"):
        root = root[: -len("/v1")]
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        root + "/_emulator" + path,
        data=data,
        method=method,
        headers={"Authorization": "Bearer " + secret, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def main():
    base_url, token, member_email = sys.argv[1], sys.argv[2], sys.argv[3]
    secret = sys.argv[4] if len(sys.argv) > 4 else None
    if not base_url.endswith("/"):
        base_url += "/"
    api = webexpythonsdk.WebexAPI(access_token=token, base_url=base_url)

    me = api.people.me()
    assert me.id and me.emails, me
    step("people.me", me.emails[0])

    if secret:
        control(base_url, secret, "PUT", "/faults", {"rateLimitNext": 1, "retryAfter": "1"})
        again = api.people.me()
        assert again.id == me.id, again
        log = control(base_url, secret, "GET", "/requests")["items"]
        statuses = [item["status"] for item in log if item["path"] == "/v1/people/me"]
        assert statuses[-2:] == [429, 200], statuses
        step("people.me after a 429 (Retry-After: 1)", "waited and retried")

    room = api.rooms.create("interop check")
    assert room.title == "interop check", room
    step("rooms.create", room.id)

    membership = api.memberships.create(roomId=room.id, personEmail=member_email)
    assert membership.roomId == room.id, membership
    step("memberships.create", membership.personEmail)

    text = api.messages.create(roomId=room.id, text="hello from webexpythonsdk")
    assert text.text == "hello from webexpythonsdk", text
    step("messages.create (text)", text.id)

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("file content from the interop check\n")
        path = handle.name
    try:
        with_file = api.messages.create(roomId=room.id, text="a file", files=[path])
    finally:
        os.unlink(path)
    assert with_file.files and len(with_file.files) == 1, with_file
    step("messages.create (file)", with_file.files[0])

    for i in range(23):
        api.messages.create(roomId=room.id, text=f"message {i}")
    listed = list(api.messages.list(roomId=room.id, max=5))
    ids = [message.id for message in listed]
    assert len(ids) == 25 and len(set(ids)) == 25, len(ids)
    step("messages.list (pages of 5)", f"{len(ids)} messages, all distinct")

    api.rooms.delete(room.id)
    try:
        api.rooms.get(room.id)
    except webexpythonsdk.exceptions.ApiError as error:
        assert error.status_code == 404, error
        step("rooms.delete", "room gone (404)")
    else:
        raise AssertionError("the deleted room still answers")
    print(f"interop: all {len(PASSED)} steps passed", flush=True)


if __name__ == "__main__":
    main()
