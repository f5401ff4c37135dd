"""Messages kept untranslated and read in the reader's language: why a delivery was refused or
held is stored as message ids with their values, so the log reads in English and in Chinese."""

from django.utils.translation import gettext


class Words:
    def __init__(self, msgid: str, **params):
        self.msgid, self.params = msgid, params

    def __str__(self) -> str:
        text = gettext(self.msgid)
        return text % self.params if self.params else text

    def as_json(self) -> list:
        return [self.msgid, self.params]


def words_read(parts: list) -> str:
    """The stored messages, in the active language."""
    return "; ".join(str(Words(msgid, **params)) for msgid, params in parts)
