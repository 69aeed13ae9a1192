"""Country codes as used in travel documents: ISO 3166-1 alpha-3 plus ICAO Doc 9303 special codes.

ICAO Doc 9303 Part 3 §5 ("Representation of issuing State or organization and nationality") uses ISO 3166-1
alpha-3 codes, plus codes for organisations, refugees and stateless persons, and the British nationality
categories. The ISO list comes from ``pycountry`` (maintained data, not a hand-typed table); only the short
ICAO/UN list below is ours, because ISO 3166 does not contain it.

>>> validate_alpha3("deu")
'DEU'
>>> name("UNO")
'United Nations Organization'
>>> is_valid_alpha3("ZZZ")
False
"""

from __future__ import annotations

import pycountry

from peacelink.identifiers.exceptions import InvalidComponent

__all__ = ["SPECIAL_CODES", "is_valid_alpha3", "name", "validate_alpha3"]

# Doc 9303 Part 3 §5 tables (codes for organisations and special nationalities), plus UN and EU codes
# used in the field. 'D' is Germany's historical one-letter code, still printed on German documents
# ("D<<" in the three-character field), see Doc 9303 Part 3 §5 note on Germany.
SPECIAL_CODES: dict[str, str] = {
    "D": "Germany",
    "EUE": "European Union",
    "GBD": "British Overseas Territories Citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas Citizen",
    "GBP": "British Protected Person",
    "GBS": "British Subject",
    "RKS": "Kosovo (code used by Kosovo; not in ISO 3166-1)",
    "UNA": "Specialized Agency of the United Nations",
    "UNK": "Resident of Kosovo (UNMIK)",
    "UNO": "United Nations Organization",
    "UTO": "Utopia (ICAO specimen documents)",
    "XBA": "African Development Bank",
    "XCC": "Caribbean Community (CARICOM)",
    "XCE": "Council of Europe",
    "XCO": "Common Market for Eastern and Southern Africa",
    "XDC": "Southern African Development Community",
    "XEC": "Economic Community of West African States",
    "XES": "Organization of Eastern Caribbean States",
    "XIM": "African Export-Import Bank",
    "XMP": "Parliamentary Assembly of the Mediterranean",
    "XOM": "Sovereign Military Order of Malta",
    "XPO": "International Criminal Police Organization (Interpol)",
    "XXA": "Stateless person",
    "XXB": "Refugee (1951 Convention)",
    "XXC": "Refugee (other)",
    "XXX": "Person of unspecified nationality",
}


def _normalise(code: str) -> str:
    # MRZ fields pad short codes with '<' ("D<<"), so fillers are not part of the code.
    return code.strip().upper().rstrip("<")


def validate_alpha3(code: str) -> str:
    """Return the upper-cased code if it is ISO 3166-1 alpha-3 or an ICAO/UN special code, else raise."""
    value = _normalise(code)
    if value in SPECIAL_CODES:
        return value
    if len(value) == 3 and value.isalpha() and pycountry.countries.get(alpha_3=value) is not None:
        return value
    raise InvalidComponent(f"{code!r} is not an ISO 3166-1 alpha-3 or ICAO country code.", field="country")


def is_valid_alpha3(code: str) -> bool:
    """Return True when ``code`` is a known alpha-3 or ICAO special code."""
    try:
        validate_alpha3(code)
    except InvalidComponent:
        return False
    return True


def name(code: str) -> str:
    """Return the English name of a country or ICAO special code (raises InvalidComponent if unknown)."""
    value = validate_alpha3(code)
    if value in SPECIAL_CODES:
        return SPECIAL_CODES[value]
    country = pycountry.countries.get(alpha_3=value)
    assert country is not None  # validate_alpha3 proved it exists
    return str(getattr(country, "common_name", None) or country.name)
