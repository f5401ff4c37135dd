"""The matrix editor's form: every word, colour, interval and cell of a version, pre-filled from the
version it starts from, read back as the parts of the next version. The scales keep their sizes and
the levels their keys (risks/matrix_rules.py): a version changes what they say, not how many."""

from dataclasses import dataclass

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from risks.matrix_rules import COLOR, LABEL_MAX, REVIEW_INTERVAL_DAYS_MAX, falls, matrix_errors
from risks.models import RiskMatrix, in_current_language

SCALES = [("likelihood", gettext_lazy("Likelihood")), ("impact", gettext_lazy("Impact"))]
LANGUAGES = [
    ("en", pgettext_lazy("language of a label", "English")),
    ("zh", pgettext_lazy("language of a label", "Chinese")),
]


class ColorInput(forms.TextInput):
    input_type = "color"


@dataclass(frozen=True)
class ScaleRow:
    value: int
    english: forms.BoundField
    chinese: forms.BoundField


@dataclass(frozen=True)
class LevelRow:
    key: str
    english: forms.BoundField
    chinese: forms.BoundField
    color: forms.BoundField
    review_interval: forms.BoundField

    @property
    def fields(self) -> list[forms.BoundField]:
        return [self.english, self.chinese, self.color, self.review_interval]


@dataclass(frozen=True)
class GridRow:
    likelihood: int
    cells: list[forms.BoundField]


def _label_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=LABEL_MAX, widget=forms.TextInput(attrs={"aria-label": label})
    )


class MatrixForm(forms.Form):
    based_on = forms.IntegerField(widget=forms.HiddenInput)
    appetite = forms.ChoiceField(
        label=gettext_lazy("Appetite"),
        help_text=gettext_lazy("The highest residual level the organisation accepts."),
    )

    def __init__(self, *args, matrix: RiskMatrix, **kwargs):
        """`matrix`: the version the editor starts from, which gives the sizes and the first values."""
        initial = {"based_on": matrix.version, "appetite": matrix.appetite}
        super().__init__(*args, initial=initial, **kwargs)
        self.matrix = matrix
        level_choices = [
            (level["key"], in_current_language(level["label_en"], level["label_zh"]))
            for level in matrix.levels
        ]
        self.fields["appetite"].choices = level_choices
        for scale, scale_name in SCALES:
            for entry in getattr(matrix, scale):
                for language, language_name in LANGUAGES:
                    name = f"{scale}_{entry['value']}_{language}"
                    self.fields[name] = _label_field(f"{scale_name} {entry['value']} · {language_name}")
                    self.initial[name] = entry[f"label_{language}"]
        for level in matrix.levels:
            key, label = level["key"], in_current_language(level["label_en"], level["label_zh"])
            for language, language_name in LANGUAGES:
                self.fields[f"level_{key}_{language}"] = _label_field(f"{label} · {language_name}")
                self.initial[f"level_{key}_{language}"] = level[f"label_{language}"]
            self.fields[f"level_{key}_color"] = forms.CharField(
                label=_("%(level)s · colour") % {"level": label},
                widget=ColorInput,
                validators=[RegexValidator(COLOR, _("Write the colour as #rrggbb, e.g. #c9302c."))],
            )
            self.fields[f"level_{key}_review"] = forms.IntegerField(
                label=_("%(level)s · review every (days)") % {"level": label},
                min_value=1,
                max_value=REVIEW_INTERVAL_DAYS_MAX,
            )
            self.initial[f"level_{key}_color"] = level["color"]
            self.initial[f"level_{key}_review"] = level["review_interval_days"]
        for likelihood in matrix.likelihood:
            for impact in matrix.impact:
                name = f"grid_{likelihood['value']}_{impact['value']}"
                self.fields[name] = forms.ChoiceField(
                    label=_("Likelihood %(l)s × impact %(i)s")
                    % {"l": likelihood["value"], "i": impact["value"]},
                    choices=level_choices,
                )
                self.fields[name].widget.attrs["aria-label"] = self.fields[name].label
                self.initial[name] = matrix.level_of(likelihood["value"], impact["value"])

    # What the template draws, part by part.
    def scale_rows(self, scale: str) -> list[ScaleRow]:
        return [
            ScaleRow(
                entry["value"], *(self[f"{scale}_{entry['value']}_{language}"] for language in ("en", "zh"))
            )
            for entry in getattr(self.matrix, scale)
        ]

    def likelihood_rows(self) -> list[ScaleRow]:
        return self.scale_rows("likelihood")

    def impact_rows(self) -> list[ScaleRow]:
        return self.scale_rows("impact")

    def level_rows(self) -> list[LevelRow]:
        return [
            LevelRow(
                level["key"],
                *(self[f"level_{level['key']}_{part}"] for part in ("en", "zh", "color", "review")),
            )
            for level in self.matrix.levels
        ]

    def grid_rows(self) -> list[GridRow]:
        """From the top: the most likely first, as raters see the matrix."""
        return [
            GridRow(
                likelihood["value"],
                [self[f"grid_{likelihood['value']}_{impact['value']}"] for impact in self.matrix.impact],
            )
            for likelihood in reversed(self.matrix.likelihood)
        ]

    def draft(self) -> dict:
        """The next version's parts, from valid data."""
        data = self.cleaned_data
        return {
            "likelihood": self._scale(data, "likelihood"),
            "impact": self._scale(data, "impact"),
            "levels": [
                {
                    "key": level["key"],
                    "label_en": data[f"level_{level['key']}_en"].strip(),
                    "label_zh": data[f"level_{level['key']}_zh"].strip(),
                    "color": data[f"level_{level['key']}_color"].lower(),
                    "review_interval_days": data[f"level_{level['key']}_review"],
                }
                for level in self.matrix.levels
            ],
            "grid": [
                [data[f"grid_{likelihood['value']}_{impact['value']}"] for impact in self.matrix.impact]
                for likelihood in self.matrix.likelihood
            ],
            "appetite": data["appetite"],
        }

    def _scale(self, data: dict, scale: str) -> list[dict]:
        return [
            {
                "value": entry["value"],
                "label_en": data[f"{scale}_{entry['value']}_en"].strip(),
                "label_zh": data[f"{scale}_{entry['value']}_zh"].strip(),
            }
            for entry in getattr(self.matrix, scale)
        ]

    def preview(self) -> RiskMatrix:
        """The next version as it would be saved (not saved)."""
        return RiskMatrix(version=self.matrix.version + 1, **self.draft())

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        draft = self.draft()
        for part, messages in matrix_errors(**draft).items():
            if part != "grid":
                for message in messages:
                    self.add_error(None, message)
        for likelihood, impact, below_l, below_i in falls(draft["grid"]):
            self.add_error(
                f"grid_{likelihood}_{impact}",
                _("Lower than likelihood %(l)s × impact %(i)s: a higher rating is never a lower level.")
                % {"l": below_l, "i": below_i},
            )
        return data
