"""Playbook files: YAML and JSON of the contract's shape, naming teams by slug and people by username.

Export → import → export gives the same text, byte for byte.
"""

import json

import yaml

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


def spec_from_text(text: str | bytes) -> dict:
    """The spec in a YAML or JSON file; InvalidPlaybook naming the file when it cannot be read."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidPlaybook({"file": ["The file is not UTF-8 text."]}) from error
    try:
        spec = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        raise InvalidPlaybook({"file": [f"Not valid YAML or JSON: {error}"]}) from error
    if not isinstance(spec, dict):
        raise InvalidPlaybook({"file": ["Expected a playbook: an object with a name, tiers and steps."]})
    return spec
