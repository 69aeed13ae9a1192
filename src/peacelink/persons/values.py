"""Validation of one person row (API, import, CLI): plain functions, every error names its field.

A row uses the issue's field names. In JSON (API, JSON Lines) list fields are JSON lists; in a CSV cell a
list is either a JSON list (``["1978", "1979-02"]``, the only way to give names with kinds or
identifiers with types) or values separated by ``;`` (``UTO;CAF``; for ``names`` the first is the
primary name and the others aliases, for ``identifiers`` each is a bare number).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import icu

from peacelink.documents.rows import country
from peacelink.errors import Invalid
from peacelink.json_text import parse_json
from peacelink.matching.names import normalise
from peacelink.matching.names.factors import parse_date
from peacelink.matching.names.normalisation import split_names
from peacelink.persons.models import CrimeArea, NameKind, OfficerWarning
from peacelink.translatable import Translatable

# The fields of a person row (API names). An import line may also give "review_due", "visibility" and
# "visibility_agencies", which every import takes (checks/import_envelope.py); in JSON Lines each field has
# the JSON type PersonCreate takes (persons/importer.SHAPES, checks/import_fields.py).
IMPORT_FIELDS = (
    "reference",
    "names",
    "sex",
    "dates_of_birth",
    "place_of_birth",
    "nationalities",
    "identifiers",
    "description",
    "crime_areas",
    "warnings",
    "action",
    "travel_document_ids",
    "vehicle_ids",
)
REQUIRED_FIELDS = ("reference", "names")
# The records a person links to, each kind a list of ids (service._LINKS: the linked records must exist
# and the agency see them); at most MAX_LINKS of each, as PersonCreate.
LINK_FIELDS = ("travel_document_ids", "vehicle_ids")
MAX_LINKS = 50
MAX_NAMES = 30
# A name's parts once normalised: at most this many (the UN sanctions list's persons have at most 10), and
# at most this many characters in all (the column person_names.parts).
MAX_NAME_PARTS = 16
MAX_PARTS_TEXT = 400
MAX_LIST = 10
MAX_CHOICES = 6  # crime areas, warnings: at most this many as given (repeats counted), as PersonCreate
MAX_IDENTIFIER_TYPE = 32  # as the API's IdentifierIn.type
# The oldest date of birth a record may carry; the newest is today (check_dates).
MIN_BIRTH_YEAR = 1880
_LIMITS = {"reference": 64, "place_of_birth": 200, "description": 2000, "action": 500}
_KINDS = frozenset(k.value for k in NameKind)
_CRIME_AREAS = frozenset(c.value for c in CrimeArea)
_WARNINGS = frozenset(w.value for w in OfficerWarning)
_SEXES = {"m": "male", "male": "male", "f": "female", "female": "female", "u": "unknown", "x": "unknown"}
_SEXES["unknown"] = "unknown"
_SCRIPT = re.compile(r"^[A-Z][a-z]{3}$")
_NUMBER_JUNK = re.compile(r"[\s\-/.<]")
# Unicode character-name prefixes -> ISO 15924 script codes, for names given without a script.
_SCRIPTS = {
    "LATIN": "Latn",
    "ARABIC": "Arab",
    "CYRILLIC": "Cyrl",
    "ETHIOPIC": "Ethi",
    "GREEK": "Grek",
    "HEBREW": "Hebr",
    "CJK": "Hani",
    "HANGUL": "Hang",
    "DEVANAGARI": "Deva",
    "GEORGIAN": "Geor",
    "ARMENIAN": "Armn",
    "THAI": "Thai",
}


@dataclass(frozen=True)
class NameValue:
    """One checked name: as given, its kind, its script and its normalised parts."""

    name: str
    kind: str
    script: str
    parts: str


@dataclass
class PersonValues:
    """A checked person row: the ``persons`` columns plus its names."""

    columns: dict[str, Any]
    names: list[NameValue] = field(default_factory=list)


def encode_list(values: list[str]) -> str:
    """``,A,B,`` (order kept, duplicates dropped) so one LIKE test finds a value on both engines."""
    kept = list(dict.fromkeys(v for v in values if v))
    return "," + ",".join(kept) + "," if kept else ""


def decode_list(stored: str | None) -> list[str]:
    """Inverse of encode_list."""
    return [v for v in (stored or "").split(",") if v]


def detect_script(name: str) -> str:
    """ISO 15924 code of the first letter's script ("Zyyy" when no letter is recognised).

    >>> detect_script("محمد"), detect_script("Иван"), detect_script("Mohamed")
    ('Arab', 'Cyrl', 'Latn')
    """
    for char in name:
        if char.isalpha():
            prefix = unicodedata.name(char, "").split(" ")[0]
            return _SCRIPTS.get(prefix, "Zyyy")
    return "Zyyy"


def _list(value: Any, field_name: str) -> list[Any]:
    """A list from JSON, a JSON-in-cell string or a ';'-separated cell."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            # Strictly (json_text), as a JSON Lines line is read: a key given twice in a name or an
            # identifier is refused, not the last one kept; nesting too deep or a number too long to read
            # is a rejected line, not a 500. The error names the field, not the path inside the cell.
            try:
                value = parse_json(stripped, what=field_name, field=field_name)
            except Invalid as exc:
                message = exc.message if exc.field == field_name else f"{field_name}.{exc.message}"
                raise Invalid(message, field=field_name) from exc
        elif stripped.startswith("{"):
            # A JSON object where a list belongs ({"name": "Omar Sharif"}) was split on ';' and stored as
            # one name with its braces and quotes: refused, as a JSON Lines line's object is.
            raise Invalid(
                f"{field_name} is a list: a JSON list ([...]; an object goes inside it) or values "
                "separated by ';', not a JSON object",
                field=field_name,
            )
        else:
            return [v.strip() for v in stripped.split(";") if v.strip()]
    if not isinstance(value, list):
        raise Invalid(f"{field_name} must be a list", field=field_name)
    return value


def _text(value: Any, field_name: str) -> str:
    out = "" if value is None else str(value).strip()
    if len(out) > _LIMITS[field_name]:
        raise Invalid(f"{field_name} has at most {_LIMITS[field_name]} characters", field=field_name)
    return out


def check_name(name: Any, kind: Any = NameKind.PRIMARY.value, script: Any = None, *, at: str) -> NameValue:
    """One name, its kind and script; ``at`` is the field path for errors (``names.2``)."""
    text = " ".join(str(name or "").split())
    if not text:
        raise Invalid("a name must not be empty", field=f"{at}.name")
    if len(text) > 300:
        raise Invalid("a name has at most 300 characters", field=f"{at}.name")
    kind_text = str(kind or NameKind.PRIMARY.value).strip().lower()
    if kind_text not in _KINDS:
        raise Invalid(f"kind must be one of {', '.join(sorted(_KINDS))}", field=f"{at}.kind")
    script_text = str(script).strip().title() if script else detect_script(text)
    if not _SCRIPT.match(script_text) or not icu.Script.getCode(script_text):
        raise Invalid(
            f"script {script_text!r} is not an ISO 15924 code of a script, such as Latn or Arab",
            field=f"{at}.script",
        )
    # Several spellings in one field ("Husain Salimi; Hosain Salimi"), or a name and an alias joined by a
    # word ("Iyad Ag Ghaly dit Abou Fadl"), are matched as several names (``normalisation.split_names``).
    spellings = [normalise(spelling) for spelling in text.split(";")]
    if not any(spellings):
        raise Invalid("the name has no letters to match on", field=f"{at}.name")
    longest = max(len(normalise(name)) for name in split_names(text))
    if longest > MAX_NAME_PARTS:
        raise Invalid(
            f"the name has {longest} parts; a person's name has at most {MAX_NAME_PARTS}: "
            "give each form of it as a name of its own",
            field=f"{at}.name",
        )
    parts = " ".join(part for split in spellings for part in split)
    if len(parts) > MAX_PARTS_TEXT:  # the column's size: stored whole or refused, never cut
        raise Invalid(
            f"the name is {len(parts)} characters once written in Latin letters; at most {MAX_PARTS_TEXT}",
            field=f"{at}.name",
        )
    return NameValue(name=text, kind=kind_text, script=script_text, parts=parts)


def check_names(value: Any) -> list[NameValue]:
    """The names of a person: a list of {name, kind, script?} objects or of plain strings."""
    items = _list(value, "names")
    if not items:
        raise Invalid("a person needs at least one name", field="names")
    if len(items) > MAX_NAMES:
        raise Invalid(f"at most {MAX_NAMES} names", field="names")
    out: list[NameValue] = []
    for index, item in enumerate(items):
        at = f"names.{index}"
        if isinstance(item, str):
            kind = NameKind.PRIMARY.value if index == 0 else NameKind.ALIAS.value
            out.append(check_name(item, kind, None, at=at))
        elif isinstance(item, dict):
            unknown = sorted(set(item) - {"name", "kind", "script"})
            if unknown:
                raise Invalid(f"unknown name fields {unknown}", field=at)
            out.append(check_name(item.get("name"), item.get("kind"), item.get("script"), at=at))
        else:
            raise Invalid("a name is a string or {name, kind, script}", field=at)
    if all(len(part) == 1 for value in out for part in value.parts.split()):
        message = (
            "the names hold initials only: no check could ever find this person by name; "
            "give at least one name in full"
        )
        raise Invalid(Translatable(message, "persons.error.initials_only"), field="names")
    return out


def check_dates(value: Any, *, today: dt.date | None = None) -> list[str]:
    """Dates of birth: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (several allowed), MIN_BIRTH_YEAR up to ``today``.

    A year or a year-month is a period: it is refused when the period starts after today (a date of birth
    cannot be in the future; "2026" is fine on 2026-11-23, "2026-12" is not).

    >>> check_dates(["1978", "2026-11"], today=dt.date(2026, 11, 23))
    ['1978', '2026-11']
    """
    latest = today or dt.date.today()
    out: list[str] = []
    for index, item in enumerate(_list(value, "dates_of_birth")[: MAX_LIST + 1]):
        at = f"dates_of_birth.{index}"
        text = ascii_digits(str(item).strip())
        parsed = parse_date(text)
        if parsed is None:
            message = "a date of birth is YYYY, YYYY-MM or YYYY-MM-DD"
            raise Invalid(Translatable(message, "persons.error.dob_format"), field=at)
        year, month, day_of_month = parsed
        if year < MIN_BIRTH_YEAR:  # before the calendar test: the calendar module has no year 0
            message = f"a date of birth cannot be before {MIN_BIRTH_YEAR}"
            raise Invalid(Translatable(message, "persons.error.dob_early", year=MIN_BIRTH_YEAR), field=at)
        if not _valid_parts(parsed):
            message = f"{text} is not a calendar date"
            raise Invalid(Translatable(message, "persons.error.dob_calendar", date=text), field=at)
        if dt.date(year, month or 1, day_of_month or 1) > latest:
            message = "a date of birth cannot be after today"
            raise Invalid(Translatable(message, "persons.error.dob_future"), field=at)
        out.append(text)
    if len(out) > MAX_LIST:
        raise Invalid(f"at most {MAX_LIST} dates of birth", field="dates_of_birth")
    return out


def ascii_digits(text: str) -> str:
    """``text`` with its decimal digits of other scripts (Arabic-Indic ١٩٧٨, full-width) as ASCII digits.

    A date of birth is stored and keyed as written (``f:1978-05-02|UTO``): one typed on an Arabic keyboard
    would otherwise be stored as ١٩٧٨-٠٥-٠٢ and its key would never meet the same date typed in ASCII.

    >>> ascii_digits("١٩٧٨-٠٥-٠٢"), ascii_digits("１９７８")
    ('1978-05-02', '1978')
    """
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(char)) if unicodedata.decimal(char, None) is not None else char
        for char in text
    )


def _valid_parts(parsed: tuple[int, int | None, int | None]) -> bool:
    year, month, day = parsed
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None:
        return month is not None and 1 <= day <= calendar.monthrange(year, month)[1]
    return True


def check_sex(value: Any) -> str:
    """male, female or unknown (M/F/U/X accepted)."""
    text = str(value or "unknown").strip().lower()
    if text not in _SEXES:
        raise Invalid("sex must be male, female or unknown", field="sex")
    return _SEXES[text]


def check_countries(value: Any, field_name: str = "nationalities") -> list[str]:
    """ISO 3166-1 alpha-3 codes."""
    items = _list(value, field_name)
    if len(items) > MAX_LIST:
        raise Invalid(f"at most {MAX_LIST} values", field=field_name)
    return [country(str(c).strip().upper(), f"{field_name}.{i}") for i, c in enumerate(items)]


def _choices(value: Any, field_name: str, allowed: frozenset[str]) -> list[str]:
    items = [str(v).strip().lower() for v in _list(value, field_name)]
    if len(items) > MAX_CHOICES:  # counted as given, as the API counts them: ["drugs"] * 7 is refused
        raise Invalid(f"at most {MAX_CHOICES} values", field=field_name)
    for index, item in enumerate(items):
        if item not in allowed:
            raise Invalid(f"must be one of {', '.join(sorted(allowed))}", field=f"{field_name}.{index}")
    return list(dict.fromkeys(items))


_SPOOF = icu.SpoofChecker()


def _ascii_look_alike(char: str) -> str:
    """A character of a number as the Latin letter or digit it looks like: full-width ０ is 0 (NFKC), Cyrillic
    Р is P and Greek Χ is X (Unicode confusables, ICU's skeleton); the character itself when it has none."""
    if char.isascii():
        return char
    folded = unicodedata.normalize("NFKC", char)
    if folded.isascii():
        return folded
    skeleton = str(_SPOOF.getSkeleton(0, folded))
    return skeleton if len(skeleton) == 1 and skeleton.isascii() and skeleton.isalnum() else char


def compact_number(value: Any) -> str:
    """An identity document number without spaces, dashes, dots, slashes or MRZ fillers, upper case, its
    look-alike characters (typed on a Cyrillic keyboard, or full-width) as the Latin ones they look like.

    >>> compact_number("Р 012-3456"), compact_number("P０１２３４５６")
    ('P0123456', 'P0123456')
    """
    text = "".join(map(_ascii_look_alike, str(value or "")))
    return _NUMBER_JUNK.sub("", text).upper()


def _identifier_type(value: Any, *, at: str) -> str:
    """An identifier's type in lower case ("other" when blank): at most MAX_IDENTIFIER_TYPE characters of
    text, refused when longer (never cut) or not text (a list in a CSV cell is not stored as "['a']")."""
    if value is None:
        return "other"
    if not isinstance(value, str):
        raise Invalid("an identifier's type is text, such as passport or national_id", field=at)
    kind = value.strip().lower() or "other"
    if len(kind) > MAX_IDENTIFIER_TYPE:
        raise Invalid(f"an identifier's type has at most {MAX_IDENTIFIER_TYPE} characters", field=at)
    return kind


def check_identifiers(value: Any) -> list[dict[str, str]]:
    """Identity document numbers: {type, number, country?} objects or bare numbers."""
    out: list[dict[str, str]] = []
    items = _list(value, "identifiers")
    if len(items) > MAX_LIST:
        raise Invalid(f"at most {MAX_LIST} identifiers", field="identifiers")
    for index, item in enumerate(items):
        at = f"identifiers.{index}"
        raw = item if isinstance(item, dict) else {"number": item}
        if not isinstance(raw, dict) or set(raw) - {"type", "number", "country"}:
            raise Invalid("an identifier is {type, number, country?} or a number", field=at)
        number = compact_number(raw.get("number"))
        if not 2 <= len(number) <= 40 or not (number.isascii() and number.isalnum()):
            raise Invalid("an identity document number has 2 to 40 letters and digits", field=f"{at}.number")
        kind = _identifier_type(raw.get("type"), at=f"{at}.type")
        entry = {"type": kind, "number": number}
        if raw.get("country"):
            entry["country"] = country(str(raw["country"]).strip().upper(), f"{at}.country")
        out.append(entry)
    return out


def check_link_ids(value: Any, field_name: str) -> list[str]:
    """The ids of the records of one kind a person links to (``travel_document_ids``, ``vehicle_ids``), in
    the order given, stripped: at most MAX_LINKS, each text. Whether each exists and may be seen is the
    service's to check (``service.checked_links``); a blank id links nothing.

    >>> check_link_ids("0a1; 0b2", "vehicle_ids"), check_link_ids(None, "vehicle_ids")
    (['0a1', '0b2'], [])
    """
    items = _list(value, field_name)
    if len(items) > MAX_LINKS:
        raise Invalid(f"at most {MAX_LINKS} ids", field=field_name)
    for index, item in enumerate(items):
        if not isinstance(item, str):  # a number in a CSV cell's JSON list is not an id
            raise Invalid("a record id is text", field=f"{field_name}.{index}")
    return [item.strip() for item in items]


def person_values(row: dict[str, Any], *, today: dt.date | None = None) -> PersonValues:
    """The checked columns and names of one person row (dates of birth up to ``today``), or Invalid."""
    reference = _text(row.get("reference"), "reference")
    if not reference:
        raise Invalid("reference (your own file number for the person) is required", field="reference")
    names = check_names(row.get("names"))
    dates = check_dates(row.get("dates_of_birth"), today=today)
    years = [int(d[:4]) for d in dates]
    columns = {
        "reference": reference,
        "sex": check_sex(row.get("sex")),
        "dates_of_birth": encode_list(dates),
        "birth_year_min": min(years) if years else None,
        "birth_year_max": max(years) if years else None,
        "place_of_birth": _text(row.get("place_of_birth"), "place_of_birth"),
        "nationalities": encode_list(check_countries(row.get("nationalities"))),
        "identifiers": json.dumps(check_identifiers(row.get("identifiers")), separators=(",", ":")),
        "description": _text(row.get("description"), "description"),
        "crime_areas": encode_list(_choices(row.get("crime_areas"), "crime_areas", _CRIME_AREAS)),
        "warnings": encode_list(_choices(row.get("warnings"), "warnings", _WARNINGS)),
        "action": _text(row.get("action"), "action"),
    }
    if len(str(columns["identifiers"])) > 2000:
        raise Invalid("identifiers are too long", field="identifiers")
    return PersonValues(columns=columns, names=names)
