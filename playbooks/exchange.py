"""Playbook files: YAML and JSON of the contract's shape, naming teams by slug and people by username.

Export → import → export gives the same text, byte for byte.
"""

import json

import yaml
from django.utils.translation import gettext as _

from core.limits import TooComplex, bounded_load, loads_json
from playbooks.models import Playbook
from playbooks.spec import playbook_spec
from playbooks.validation import InvalidPlaybook

FORMATS = ("yaml", "json")


class _Dumper(yaml.SafeDumper):
    """Multi-line text (instructions) as readable literal blocks."""


def _represent_text(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def playbook_export(playbook: Playbook, *, file_format: str = "yaml") -> str:
    spec = playbook_spec(playbook, references="names")
    if file_format == "json":
        return json.dumps(spec, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(spec, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


# A playbook file is a few kilobytes (the library's are under 10 KB); reading YAML is slow.
MAX_FILE_BYTES = 512 * 1024


def spec_from_text(text: str | bytes) -> dict:
    """The spec in a YAML or JSON file; InvalidPlaybook naming the file when it cannot be read,
    is larger than MAX_FILE_BYTES, or nests or holds more than core.limits allows."""
    if len(text) > MAX_FILE_BYTES:
        raise InvalidPlaybook(
            {"file": [_("The file is larger than %(size)d KB.") % {"size": MAX_FILE_BYTES // 1024}]}
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidPlaybook({"file": ["The file is not UTF-8 text."]}) from error
    try:
        spec = loads_json(text) if text.lstrip().startswith("{") else bounded_load(yaml.safe_load, text)
    except TooComplex as error:
        raise InvalidPlaybook({"file": [str(error)]}) from None
    except (ValueError, yaml.YAMLError) as error:
        raise InvalidPlaybook({"file": [f"Not valid YAML or JSON: {error}"]}) from error
    if not isinstance(spec, dict):
        raise InvalidPlaybook({"file": ["Expected a playbook: an object with a name, tiers and steps."]})
    return spec
