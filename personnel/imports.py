"""CSV imports of Guard members and duty periods from the personnel system.

Each import reads the whole file and validates every row before it writes anything: one bad row
and nothing is stored, and the report names every row, column and problem found. A clean file
is written in one transaction, with one history entry per record created or changed. The check
runs before that transaction begins, so checking a large or bad file never holds the database's
write lock; inside it, only what another writer may have changed meanwhile is read again.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
Files are UTF-8 (with or without a byte-order mark); UTF-16 with a byte-order mark and
Windows-1252 (Excel's "CSV" on Windows) are read too. Commas or semicolons separate the fields.
"""

import bisect
import csv
import io
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, time

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from core.audit import log_bulk
from core.models import Disclosure
from core.validators import in_year_range, year_range_message
from personnel.models import DutyPeriod, DutyStatus, Member, Unit

MEMBER_COLUMNS = ("service_number", "last_name", "first_name", "grade", "component",
                  "unit_code", "specialty", "languages")
PERIOD_COLUMNS = ("service_number", "status", "start", "end", "pay_source",
                  "orders_reference", "mission", "legal_basis")
# The member fields an import writes, in the order they are compared and logged.
MEMBER_FIELDS = ("last_name", "first_name", "grade", "component", "unit", "specialty",
                 "languages")

MAX_BYTES = 20 * 1024 * 1024
MAX_ERRORS = 200  # reported in full up to here; the count covers the rest
BATCH = 1000
CHUNK = 900  # values per IN (...), under the 999 parameters of SQLite before 3.32
_LANGUAGE = re.compile(r"^[a-z]{2}$")


@dataclass
class RowError:
    row: int | None  # None: the file as a whole
    column: str | None
    message: str

    @property
    def field(self):
        """Where, as the API's error shape names it: "row 7: start", "row 1", "file"."""
        if self.row is None:
            return "file"
        return _("row %(row)d: %(column)s") % {"row": self.row, "column": self.column} \
            if self.column else _("row %(row)d") % {"row": self.row}


@dataclass
class ImportReport:
    kind: str  # "members" or "periods"
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)  # the first MAX_ERRORS RowErrors
    error_count: int = 0

    @property
    def ok(self):
        return self.error_count == 0

    def add_error(self, row, column, message):
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, str(message)))

    def as_validation_error(self):
        """The errors as one ValidationError, which the API answers with 422 in its one error
        shape (field "row 7: start")."""
        messages = {}
        for error in self.errors:
            messages.setdefault(error.field, []).append(error.message)
        if self.error_count > len(self.errors):
            messages.setdefault("file", []).append(
                _("%(count)d more errors not listed. Nothing was imported.")
                % {"count": self.error_count - len(self.errors)})
        return ValidationError(messages)


class _FileError(Exception):
    def __init__(self, message, row=None, column=None):
        super().__init__(message)
        self.message, self.row, self.column = message, row, column


# Reading --------------------------------------------------------------------------------------

def _bytes(file):
    if isinstance(file, bytes):
        return file
    if isinstance(file, str):
        return file.encode()
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _FileError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 2**20})
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_BYTES:
        raise _FileError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 2**20})
    return data


def _text(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise _FileError(_("The file is not readable text: save it as \"CSV UTF-8\"."))


def _records(file, columns):
    """(row number, {column: value}) for each non-blank record, after checking the header."""
    text = _text(_bytes(file))
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise _FileError(_("The file is not valid CSV near line %(line)d: %(error)s")
                         % {"line": reader.line_num, "error": exc}) from exc
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(v.strip() for v in r)]
    if not numbered:
        raise _FileError(_("The file is empty: it needs a header row with the columns %(cols)s.")
                         % {"cols": ", ".join(columns)})
    header_row, header = numbered[0]
    names = [h.strip().lower().replace(" ", "_") for h in header]
    missing = [c for c in columns if c not in names]
    unknown = [n for n in names if n not in columns]
    if missing:
        message = _("The header lacks the columns %(missing)s. Expected: %(expected)s.") % {
            "missing": ", ".join(missing), "expected": ", ".join(columns)}
        if unknown:
            message += " " + _("Not recognized: %(unknown)s.") % {
                "unknown": ", ".join(n or '""' for n in unknown)}
        raise _FileError(message, row=header_row)
    duplicated = sorted({n for n in names if names.count(n) > 1 and n in columns})
    if duplicated:
        raise _FileError(_("The header repeats the columns %(cols)s.")
                         % {"cols": ", ".join(duplicated)}, row=header_row)
    records, errors = [], []
    for number, values in numbered[1:]:
        if len(values) != len(names):
            errors.append((number, _("This row has %(got)d fields; the header has %(want)d.")
                           % {"got": len(values), "want": len(names)}))
            continue
        records.append((number, {n: v.strip() for n, v in zip(names, values, strict=True)
                                 if n in columns}))
    return records, errors


def _chunks(values):
    values = list(values)
    for i in range(0, len(values), CHUNK):
        yield values[i:i + CHUNK]


def _start(kind, user, file, columns):
    """The report and the records, or a report that already holds the file's errors."""
    if user.nation_id is None:
        raise PermissionDenied(_("Your role does not allow this action."))
    report = ImportReport(kind=kind)
    try:
        records, errors = _records(file, columns)
    except _FileError as exc:
        report.add_error(exc.row, exc.column, exc.message)
        return report, []
    for number, message in errors:
        report.add_error(number, None, message)
    report.rows = len(records) + len(errors)
    if report.rows == 0:
        report.add_error(None, None, _("The file has a header but no rows."))
    return report, records


# Members ------------------------------------------------------------------------------------

def _languages(value):
    codes = [c.lower() for c in re.split(r"[,;\s]+", value) if c]
    bad = [c for c in codes if not _LANGUAGE.match(c)]
    if bad:
        raise ValueError(_("Use two-letter ISO 639-1 codes separated by commas, e.g. en,es "
                           "(not %(bad)s).") % {"bad": ", ".join(bad)})
    return ",".join(dict.fromkeys(codes))


def _member_values(member):
    return tuple(getattr(member, "unit_id" if f == "unit" else f) for f in MEMBER_FIELDS)


def _logged(member, f):
    return member.unit.code if f == "unit" else getattr(member, f)


def import_members(user, file):
    """Create or update members from CSV columns service_number, last_name, first_name, grade,
    component, unit_code, specialty, languages. A service number already on record updates that
    member (when the user may change it); any other is a new member owned by the user's nation
    and releasable to it alone. Returns an ImportReport; on any error nothing is stored."""
    may_add = user.has_perm("personnel.add_member")
    if not (may_add or user.has_perm("personnel.change_member")):
        raise PermissionDenied(_("Your role does not allow this action."))
    report, records = _start("members", user, file, MEMBER_COLUMNS)
    if not records:
        return report
    numbers = {r["service_number"] for _n, r in records if r["service_number"]}
    units, existing, changeable = _member_state(user, numbers)
    seen, creates, updates = {}, [], []
    for number, row in records:
        _check_member(user, report, number, row, units, existing, changeable, seen, may_add,
                      creates, updates)
    if not report.ok:
        return report
    with transaction.atomic():
        if _fingerprint(*_member_state(user, numbers, lock=True)) != _fingerprint(
                units, existing, changeable):
            return _changed_meanwhile(report)
        _store_members(user, report, creates, updates)
    return report


def _changed_meanwhile(report):
    report.add_error(None, None, _("Records this file names changed while it was being "
                                   "checked. Nothing was imported: import the file again."))
    return report


def _member_state(user, numbers, lock=False):
    """What a members file is checked against: the units the user may see, the members on
    record under the file's service numbers (locked until commit with `lock`), and which of
    them the user may change."""
    units = {u.code: u for u in Unit.objects.restrict(user).prefetch_related(None)}
    members = Member.objects.select_for_update() if lock else Member.objects
    existing, changeable = {}, set()
    for chunk in _chunks(numbers):
        existing.update((m.service_number, m) for m in
                        members.filter(service_number__in=chunk).select_related("unit"))
        changeable.update(Member.objects.restrict(user, "change")
                          .filter(service_number__in=chunk).values_list("pk", flat=True))
    return units, existing, changeable


def _fingerprint(units, existing, changeable):
    return ({code: unit.pk for code, unit in units.items()},
            {number: (m.pk, m.updated_at) for number, m in existing.items()}, changeable)


def _check_member(user, report, number, row, units, existing, changeable, seen, may_add,
                  creates, updates):
    def error(column, message):
        report.add_error(number, column, message)

    service_number = row["service_number"]
    if service_number in seen:
        return error("service_number", _("This service number is also on row %(row)d.")
                     % {"row": seen[service_number]})
    seen[service_number] = number
    current = existing.get(service_number)
    if current is not None and current.pk not in changeable:
        return error("service_number", _("A member with this service number is on record "
                                         "and you may not change it."))
    if current is None and not may_add:
        return error("service_number", _("No member has this service number, and your role "
                                         "may not add members."))
    unit = units.get(row["unit_code"])
    if unit is None:
        error("unit_code", _("No unit you may see has the code “%(code)s”.")
              % {"code": row["unit_code"]})
    component = row["component"].lower() or (current.component if current else
                                             Member.Component.ARMY)
    if component not in Member.Component.values:
        error("component", _("Choose one of: %(choices)s.")
              % {"choices": ", ".join(Member.Component.values)})
        component = Member.Component.ARMY
    try:
        languages = _languages(row["languages"])
    except ValueError as exc:
        error("languages", exc.args[0])
        languages = ""
    values = {"service_number": service_number, "last_name": row["last_name"],
              "first_name": row["first_name"], "grade": row["grade"].upper(),
              "component": component, "specialty": row["specialty"], "languages": languages}
    if current is None:
        member = Member(owner_nation_id=user.nation_id, disclosure=Disclosure.NOT_REVIEWED,
                        created_by=user, unit=unit, **values)
    else:
        member = current
        before = _member_values(member)
        member.before_unit_code = member.unit.code
        for name, value in values.items():
            setattr(member, name, value)
        if unit is not None:
            member.unit = unit
    try:
        member.clean_fields(exclude=["unit", "owner_nation", "created_by", "passport_number",
                                     "passport_expires", "disclosure", "tlp"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                error(name, message)
    if current is None:
        creates.append(member)
    elif _member_values(member) != before:
        member.before = before
        updates.append(member)
    else:
        report.unchanged += 1


def _member_repr(member):
    return str(member)


def _store_members(user, report, creates, updates):
    created = Member.objects.bulk_create(creates, batch_size=BATCH)
    if created and created[0].pk is None:  # backends that do not return ids from bulk_create
        by_number = {}
        for chunk in _chunks(m.service_number for m in created):
            by_number.update(Member.objects.filter(service_number__in=chunk)
                             .values_list("service_number", "pk"))
        for member in created:
            member.pk = by_number[member.service_number]
    Member.rel_to.through.objects.bulk_create(
        [Member.rel_to.through(member_id=m.pk, nation_id=user.nation_id) for m in created],
        batch_size=BATCH)
    log_bulk(created, LogEntry.Action.CREATE,
             lambda m: {"service_number": [None, m.service_number],
                        **{f: [None, str(_logged(m, f))] for f in MEMBER_FIELDS}},
             user, _member_repr)
    now = timezone.now()
    for member in updates:
        member.updated_at = now
    Member.objects.bulk_update(updates, [*MEMBER_FIELDS, "updated_at"], batch_size=BATCH)

    def diff(member):
        changes = {}
        for f, old in zip(MEMBER_FIELDS, member.before, strict=True):
            new = _member_values(member)[MEMBER_FIELDS.index(f)]
            if old != new:
                if f == "unit":
                    changes[f] = [member.before_unit_code, member.unit.code]
                else:
                    changes[f] = [str(old), str(new)]
        return changes

    log_bulk(updates, LogEntry.Action.UPDATE, diff, user, _member_repr)
    report.created, report.updated = len(created), len(updates)


# Duty periods -------------------------------------------------------------------------------

def _moment(value, tz):
    """An ISO date (midnight) or date and time, in `tz` unless it carries its own offset."""
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime.combine(day, time()) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValueError(_("Enter an ISO date or date and time, e.g. 2025-06-01 or "
                           "2025-06-01 08:00."))
    if not in_year_range(moment):
        raise ValueError(year_range_message())
    return timezone.make_aware(moment, tz) if timezone.is_naive(moment) else moment


def _when(moment, tz):
    return timezone.localtime(moment, tz).strftime("%Y-%m-%d %H:%M")


def import_periods(user, file):
    """Add duty periods from CSV columns service_number, status, start, end, pay_source,
    orders_reference, mission, legal_basis. Dates without an offset are read in the user's time
    zone; an empty end leaves the period open. No period may overlap another in the file or on
    record. Returns an ImportReport; on any error nothing is stored."""
    if not user.has_perm("personnel.add_dutyperiod"):
        raise PermissionDenied(_("Your role does not allow this action."))
    report, records = _start("periods", user, file, PERIOD_COLUMNS)
    if not records:
        return report
    tz = zoneinfo.ZoneInfo(user.time_zone)
    numbers = {r["service_number"] for _n, r in records if r["service_number"]}
    members = _period_members(user, numbers)
    new = []  # (row number, period)
    for number, row in records:
        period = _check_period(report, number, row, members, tz)
        if period is not None:
            new.append((number, period))
    _check_overlaps(report, new, tz)
    if not report.ok:
        return report
    with transaction.atomic():
        # Locked, the members take no other period until we commit; one added meanwhile is
        # an overlap like any other.
        locked = _period_members(user, numbers, lock=True)
        if {n: m.pk for n, m in locked.items()} != {n: m.pk for n, m in members.items()}:
            return _changed_meanwhile(report)
        _check_overlaps(report, new, tz)
        if not report.ok:
            return report
        periods = [p for _n, p in new]
        created = DutyPeriod.objects.bulk_create(periods, batch_size=BATCH)
        if created and created[0].pk is None:
            keys = {(p.member_id, p.start): p for p in created}
            for chunk in _chunks({p.member_id for p in created}):
                for pk, member_id, start in DutyPeriod.objects.filter(
                        member_id__in=chunk).values_list("pk", "member_id", "start"):
                    if (member_id, start) in keys:
                        keys[(member_id, start)].pk = pk
        log_bulk(created, LogEntry.Action.CREATE,
                 lambda p: {"member": [None, p.member.service_number],
                            "status": [None, p.status], "start": [None, p.start.isoformat()],
                            "end": [None, p.end.isoformat() if p.end else None],
                            "orders_reference": [None, p.orders_reference]},
                 user, lambda p: f"{p.member_id}: {p.status} from {p.start:%Y-%m-%d %H:%M}")
        report.created = len(created)
    return report


def _period_members(user, numbers, lock=False):
    """The members of the user's nation the user may see, by the file's service numbers."""
    members = {}
    for chunk in _chunks(numbers):
        ids = list(Member.objects.restrict(user).filter(
            owner_nation_id=user.nation_id, service_number__in=chunk)
            .values_list("pk", flat=True))
        found = Member.objects.filter(pk__in=ids)
        members.update((m.service_number, m) for m in
                       (found.select_for_update() if lock else found))
    return members


def _check_period(report, number, row, members, tz):
    def error(column, message):
        report.add_error(number, column, message)

    ok = True
    member = members.get(row["service_number"])
    if member is None:
        error("service_number", _("No member you may change has the service number "
                                  "“%(number)s”.") % {"number": row["service_number"]})
        ok = False
    status = row["status"].lower()
    if status not in DutyStatus.values:
        error("status", _("Choose one of: %(choices)s.")
              % {"choices": ", ".join(DutyStatus.values)})
        ok = False
    start = end = None
    try:
        start = _moment(row["start"], tz)
    except ValueError as exc:
        error("start", exc.args[0])
        ok = False
    if row["end"]:
        try:
            end = _moment(row["end"], tz)
        except ValueError as exc:
            error("end", exc.args[0])
            ok = False
    if start is not None and end is not None and end <= start:
        error("end", _("The end must come after the start."))
        ok = False
    period = DutyPeriod(member=member, status=status, start=start, end=end,
                        pay_source=row["pay_source"], orders_reference=row["orders_reference"],
                        mission=row["mission"], legal_basis=row["legal_basis"])
    try:
        period.clean_fields(exclude=["member", "opened_by", "status", "start", "end"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                error(name, message)
        ok = False
    return period if ok else None


def _check_overlaps(report, new, tz):
    """Against each other (the later row names the earlier) and against the periods on
    record, which never overlap one another and so are sorted by end as well as start."""
    by_member = {}
    for number, period in new:
        by_member.setdefault(period.member_id, []).append((number, period))
    on_record = {}
    for chunk in _chunks(by_member):
        for p in DutyPeriod.objects.filter(member_id__in=chunk).order_by("member_id", "start"):
            on_record.setdefault(p.member_id, []).append(p)
    for member_id, rows in by_member.items():
        rows.sort(key=lambda item: item[1].start)
        holder = None  # the row so far with the latest end (None: open-ended)
        for number, period in rows:
            if holder is not None and (holder[1].end is None or holder[1].end > period.start):
                report.add_error(number, "start", _("This period overlaps the one on row "
                                                    "%(row)d.") % {"row": holder[0]})
            if holder is None or holder[1].end is not None and (
                    period.end is None or period.end > holder[1].end):
                holder = (number, period)
        existing = on_record.get(member_id, [])
        ends = [p.end.timestamp() if p.end else float("inf") for p in existing]
        for number, period in rows:
            # The first period on record that ends after this one starts is the only candidate.
            i = bisect.bisect_right(ends, period.start.timestamp())
            if i < len(existing) and (period.end is None or existing[i].start < period.end):
                clash = existing[i]
                report.add_error(number, "start", _(
                    "This period overlaps %(status)s from %(start)s%(until)s already on "
                    "record.") % {
                    "status": clash.get_status_display(), "start": _when(clash.start, tz),
                    "until": (_(" until %(end)s") % {"end": _when(clash.end, tz)})
                    if clash.end else ""})
