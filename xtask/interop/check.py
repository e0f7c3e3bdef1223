"""Drives the official Python SDK (webexpythonsdk) against the spark emulator.

Usage: python check.py BASE_URL ACCESS_TOKEN MEMBER_EMAIL

Each step prints one line; the first failure raises and ends the run with a non-zero status.
"""

import os
import sys
import tempfile

import webexpythonsdk


def step(name, value=""):
    print(f"ok  {name}{': ' + str(value) if value != '' else ''}", flush=True)


def main():
    base_url, token, member_email = sys.argv[1], sys.argv[2], sys.argv[3]
    if not base_url.endswith("/"):
        base_url += "/"
    api = webexpythonsdk.WebexAPI(access_token=token, base_url=base_url)

    me = api.people.me()
    assert me.id and me.emails, me
    step("people.me", me.emails[0])

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
    print("interop: all steps passed", flush=True)


if __name__ == "__main__":
    main()
