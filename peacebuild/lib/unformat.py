"""Numbers and dates the way United Nations documents write them, per language.

Babel (CLDR) knows how a language writes numbers, but UN documents follow their own
editorial manuals: Chinese documents put spaces around numerals and group thousands with a
space ("1 300", "2004 年 4 月 23 日"); Arabic documents name months by both their Syriac
and Latin names ("نيسان/أبريل"); Russian documents write "23 апреля 2004 года". Month
names are therefore tables here, not Babel's, and numbers use Babel's grouping with the
UN separator where the manual differs.

Language codes are the UN's two-letter codes: ar, zh, en, fr, ru, es, plus tg (Tajik).
No Django here.
"""

import datetime as dt
import math

from babel.numbers import format_decimal

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es", "tg")
RTL_LANGUAGES = frozenset({"ar"})
NBSP = "\u00a0"

_BABEL = {"en": "en_GB", "zh": "zh_Hans", "ar": "ar", "fr": "fr", "ru": "ru", "es": "es",
          "tg": "tg"}

# Group separators of the UN editorial manuals (None: Babel's own).
_GROUP = {"zh": NBSP, "fr": NBSP, "ru": NBSP, "tg": NBSP, "en": ",", "es": ".", "ar": ","}

_MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    # Genitive ("23 апреля") and prepositional ("в апреле") forms.
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"],
    "ru_in": ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
              "сентябре", "октябре", "ноябре", "декабре"],
    "tg": ["январи", "феврали", "марти", "апрели", "майи", "июни", "июли", "августи",
           "сентябри", "октябри", "ноябри", "декабри"],
    "ar": ["كانون الثاني/يناير", "شباط/فبراير", "آذار/مارس", "نيسان/أبريل", "أيار/مايو",
           "حزيران/يونيه", "تموز/يوليه", "آب/أغسطس", "أيلول/سبتمبر",
           "تشرين الأول/أكتوبر", "تشرين الثاني/نوفمبر", "كانون الأول/ديسمبر"],
}

# Small numbers spelt out, as the letters do ("four centres"): one form per language;
# the standard texts are written to agree with it.
_WORDS = {
    "en": ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
    "fr": ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"],
    "es": ["un", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"],
    "ru": ["один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять",
           "десять"],
    "tg": ["як", "ду", "се", "чор", "панҷ", "шаш", "ҳафт", "ҳашт", "нӯҳ", "даҳ"],
    "zh": ["一", "两", "三", "四", "五", "六", "七", "八", "九", "十"],
    "ar": [],  # Arabic numerals agree with the noun in gender and case: digits are safer.
}

LANGUAGE_NAMES = {
    "ar": "العربية", "zh": "中文", "en": "English", "fr": "Français", "ru": "Русский",
    "es": "Español", "tg": "Тоҷикӣ",
}


def check(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unknown UN language {language!r}")
    return language


def is_rtl(language: str) -> bool:
    return language in RTL_LANGUAGES


def format_number(value: int | float, language: str) -> str:
    """1300 → 1,300 (en, ar), 1 300 (zh, fr, ru, tg: no-break space), 1.300 (es)."""
    text = format_decimal(value, locale="en", group_separator=True)
    return text.replace(",", "\0").replace(".", _decimal(language)).replace(
        "\0", _GROUP[check(language)])


def _decimal(language: str) -> str:
    return "." if language in ("en", "zh", "ar") else ","


def number_words(value: int, language: str) -> str:
    """Small whole numbers in words (1–10) where the language's table has them."""
    words = _WORDS[check(language)]
    if 1 <= value <= len(words):
        return words[value - 1]
    return format_number(value, language)


def floor_to(value: int, step: int) -> int:
    """“More than 1,300”: round down to a multiple of step (the narrative says “more than”)."""
    return int(math.floor(value / step) * step) if step > 0 else value


def round_to(value: int, step: int) -> int:
    """“About 200”: round to the nearest multiple of step."""
    return int(math.floor(value / step + 0.5) * step) if step > 0 else value


def format_date(day: dt.date, language: str) -> str:
    """23 April 2004 · 2004 年 4 月 23 日 · 23 апреля 2004 года · 23 نيسان/أبريل 2004."""
    language = check(language)
    d, m, y = day.day, day.month, day.year
    if language == "zh":
        return f"{y} 年 {m} 月 {d} 日"
    if language == "fr":
        return f"{'1er' if d == 1 else d} {_MONTHS['fr'][m - 1]} {y}"
    if language == "es":
        return f"{d} de {_MONTHS['es'][m - 1]} de {y}"
    if language == "ru":
        return f"{d} {_MONTHS['ru'][m - 1]} {y} года"
    if language == "tg":
        return f"{d} {_MONTHS['tg'][m - 1]} соли {y}"
    return f"{d} {_MONTHS[language][m - 1]} {y}"


def format_month(day: dt.date, language: str) -> str:
    """A month as the standard texts use it after “in”: October 2003 · 2003 年 10 月 ·
    (в) октябре 2003 года · (дар) моҳи октябри соли 2003 · octobre 2003 · octubre de 2003."""
    language = check(language)
    m, y = day.month, day.year
    if language == "zh":
        return f"{y} 年 {m} 月"
    if language == "es":
        return f"{_MONTHS['es'][m - 1]} de {y}"
    if language == "ru":
        return f"{_MONTHS['ru_in'][m - 1]} {y} года"
    if language == "tg":
        return f"моҳи {_MONTHS['tg'][m - 1]} соли {y}"
    return f"{_MONTHS[language][m - 1]} {y}"


def format_year(day: dt.date, language: str) -> str:
    return str(day.year)
