"""The real-time wire: the Channels groups that sockets join, and how an event is encoded.

Publishers send to these groups (through core.broadcast); live's consumers join them. An event
is encoded once, by its publisher, and forwarded to every receiver as it is.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder

# Every incident's events, for the executive dashboard.
DASHBOARD_GROUP = "dashboard"


def incident_group(incident_id: int) -> str:
    return f"incident.{incident_id}"


def team_group(team_id: int) -> str:
    return f"team.{team_id}"


def bell_group(user_id: int) -> str:
    """A person's unread count (the bell in every page's header)."""
    return f"bell.{user_id}"


def user_group(user_id: int) -> str:
    """Every socket of a person: told when their access changes or they sign out."""
    return f"user.{user_id}"


def encode(event: dict) -> str:
    return json.dumps(event, cls=DjangoJSONEncoder, ensure_ascii=False)


def encode_with_data(event: dict, data: str) -> str:
    """`event` encoded with its `data` already encoded (a state that many messages share), as
    encode() would write it with "data" last."""
    return f'{encode(event)[:-1]}, "data": {data}}}'
