"""One word, one translation: Django merges the apps' catalogues into one, where the first app's
translation of a message wins everywhere. Two apps translating the same message differently means
one of them shows the other's word (a task's note read "approval opinion"); a message whose
meaning differs between apps needs a context."""

from collections import defaultdict

import polib

from riskops.management.commands.compile_translations import catalogue_dirs


def test_no_message_is_translated_two_ways():
    translations = defaultdict(dict)
    for locale_dir in catalogue_dirs():
        for path in locale_dir.glob("*/LC_MESSAGES/django.po"):
            for entry in polib.pofile(str(path)):
                if entry.msgstr and not entry.obsolete:
                    translations[(entry.msgctxt, entry.msgid)][str(locale_dir.parent.name)] = entry.msgstr
    two_ways = {message: by_app for message, by_app in translations.items() if len(set(by_app.values())) > 1}
    assert not two_ways, "\n".join(f"{message}: {by_app}" for message, by_app in two_ways.items())
