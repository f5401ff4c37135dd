"""The contract's error shape (API.md, "Errors"), asserted on any 4xx answer."""

import json


def _messages(value) -> bool:
    """Field errors: a list of messages, or nested per item/field (a playbook's steps)."""
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(_messages(item) for item in value)
    if isinstance(value, dict):
        return bool(value) and all(_messages(item) for item in value.values())
    return False


def assert_contract_error(status: int, content_type: str, content: bytes) -> None:
    assert content_type.startswith("application/json"), f"{status} {content_type!r}: {content[:200]!r}"
    body = json.loads(content)
    assert isinstance(body, dict) and body, f"{status} body is not an object: {body!r}"
    if "detail" in body:
        assert isinstance(body["detail"], str), body
        return
    assert status == 400, f"{status} without a detail: {body!r}"
    assert all(isinstance(value, list | dict) and _messages(value) for value in body.values()), body
