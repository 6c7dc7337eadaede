"""Visible date lines in each outlet's house style, in Spanish and English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import MappingProxyType

SPANISH_MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip
SPANISH_WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# AP style abbreviates months longer than five letters and spells out the rest.
AP_MONTHS = (
    "Jan.", "Feb.", "March", "April", "May", "June",
    "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
)  # fmt: skip


def _ap_clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    suffix = "a.m." if moment.hour < 12 else "p.m."
    return f"{hour}:{moment:%M} {suffix}"


def _es_long(moment: datetime, tz: str) -> str:
    return f"{moment.day} de {SPANISH_MONTHS[moment.month - 1]} de {moment.year}, {moment:%H:%M} h"


def _es_weekday(moment: datetime, tz: str) -> str:
    weekday = SPANISH_WEEKDAYS[moment.weekday()].capitalize()
    month = SPANISH_MONTHS[moment.month - 1]
    return f"{weekday} {moment.day} de {month} de {moment.year} | {moment:%H:%M}"


def _es_numeric(moment: datetime, tz: str) -> str:
    return f"{moment:%d/%m/%Y %H:%M} h ({tz})"


def _es_weekday_lower(moment: datetime, tz: str) -> str:
    weekday = SPANISH_WEEKDAYS[moment.weekday()]
    month = SPANISH_MONTHS[moment.month - 1]
    return f"{weekday}, {moment.day} de {month} de {moment.year} - {moment:%H:%M}"


def _en_ap(moment: datetime, tz: str) -> str:
    return f"{AP_MONTHS[moment.month - 1]} {moment.day}, {moment.year} {_ap_clock(moment)} {tz}"


def _en_long(moment: datetime, tz: str) -> str:
    month = ENGLISH_MONTHS[moment.month - 1]
    return f"Published {month} {moment.day}, {moment.year} at {moment:%I:%M %p} {tz}"


def _iso_utc(moment: datetime, tz: str) -> str:
    return f"{moment:%Y-%m-%d %H:%M} {tz}"


def _en_weekday(moment: datetime, tz: str) -> str:
    return f"{moment:%A}, {ENGLISH_MONTHS[moment.month - 1]} {moment.day}, {moment.year}"


VISIBLE_DATE_STYLES: MappingProxyType[str, Callable[[datetime, str], str]] = MappingProxyType(
    {
        "es_long": _es_long,
        "es_weekday": _es_weekday,
        "es_numeric": _es_numeric,
        "es_weekday_lower": _es_weekday_lower,
        "en_ap": _en_ap,
        "en_long": _en_long,
        "iso_utc": _iso_utc,
        "en_weekday": _en_weekday,
    }
)


def visible_date(moment: datetime, style: str, tz_label: str) -> str:
    """`moment` (already in the outlet's zone) written the way the outlet prints dates."""
    return VISIBLE_DATE_STYLES[style](moment, tz_label)
