"""Reading an instrument back from its XLSX workbook (the one instrument_xlsx writes) into a new
draft version: every bad cell is reported with its sheet and row, and nothing is saved on any
error."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from areas import evidence_dictionary
from areas.instrument_db import instrument_for
from areas.instrument_xlsx import EVIDENCE_COLUMNS, OPTION_COLUMNS, RULE_COLUMNS, TREE_COLUMNS
from areas.instrument_yaml import validate_instrument
from areas.models import (
    AnswerType,
    Area,
    EvidenceRequirement,
    Indicator,
    LkeVersion,
    Option,
    PredicateRule,
    Question,
    Section,
)
from areas.numbers import (
    MAX_MAGNITUDE,
    NumberError,
    parse_count,
    parse_decimal,
    within_magnitude,
)
from core.cells import spreadsheet_text_read
from core.xlsx import XlsxRefused, open_xlsx


class InstrumentImportError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _text(value):
    """A cell as export_version wrote it: stripped, then without the apostrophe the export put
    before a formula-like text (in that order, so that a text led by a tab keeps its tab)."""
    return spreadsheet_text_read(value.strip()) if isinstance(value, str) else value


@dataclass
class _Reader:
    problems: list[str]

    def records(self, workbook, sheet_name: str, columns: list[str]):
        if sheet_name not in workbook.sheetnames:
            self.problems.append(_("Lembar '%(sheet)s' tidak ada.") % {"sheet": sheet_name})
            return
        rows = workbook[sheet_name].iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
        missing = [c for c in columns if c not in header]
        if missing:
            self.problems.append(
                _("Lembar '%(sheet)s': kolom %(columns)s tidak ada.")
                % {"sheet": sheet_name, "columns": ", ".join(missing)}
            )
            return
        for line, values in enumerate(rows, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            record = {
                c: values[header.index(c)] if header.index(c) < len(values) else None
                for c in columns
            }
            yield line, {k: _text(v) for k, v in record.items()}

    def fail(self, sheet: str, line: int, message: str) -> None:
        self.problems.append(
            _("%(sheet)s baris %(line)s: %(message)s")
            % {"sheet": sheet, "line": line, "message": message}
        )

    def decimal(self, sheet: str, line: int, column: str, value) -> Decimal | None:
        """A number ≥ 0 within the bounds every typed number has (areas.numbers)."""
        try:
            if isinstance(value, str):
                number = parse_decimal(value, label=column)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            else:
                raise InvalidOperation
            if not within_magnitude(number) or number < 0:
                raise InvalidOperation
            return number
        except (InvalidOperation, NumberError, ValueError):
            self.fail(
                sheet,
                line,
                _("%(column)s harus angka ≥ 0, bukan %(value)r")
                % {"column": column, "value": _shown(value)},
            )
            return None

    def integer(self, sheet: str, line: int, column: str, value) -> int | None:
        if isinstance(value, float) and value.is_integer() and abs(value) < MAX_MAGNITUDE:
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_MAGNITUDE:
            return value
        if isinstance(value, str):
            try:
                return parse_count(value, label=column)
            except NumberError:
                pass
        self.fail(
            sheet,
            line,
            _("%(column)s harus bilangan bulat, bukan %(value)r")
            % {"column": column, "value": _shown(value)},
        )
        return None


def import_version(content: bytes, *, by) -> LkeVersion:
    """Create a draft version from a workbook made by export_version (possibly edited)."""
    try:
        workbook = open_xlsx(content, unreadable=_("Berkas bukan XLSX yang dapat dibaca."))
    except XlsxRefused as refusal:
        raise InstrumentImportError([refusal.message]) from None
    reader = _Reader([])
    fields = {
        str(k): v
        for _, k, v in (
            (line, r["field"], r["value"])
            for line, r in reader.records(workbook, "versi", ["field", "value"])
        )
    }
    tree = list(reader.records(workbook, "tree", TREE_COLUMNS))
    options = list(reader.records(workbook, "options", OPTION_COLUMNS))
    rules = list(reader.records(workbook, "rules", RULE_COLUMNS))
    # A workbook from before the dictionary has no such sheet: its entries come from the text.
    entries = (
        list(reader.records(workbook, "kamus_eviden", EVIDENCE_COLUMNS))
        if "kamus_eviden" in workbook.sheetnames
        else None
    )
    if reader.problems:
        raise InstrumentImportError(reader.problems)
    with transaction.atomic():
        version = LkeVersion.objects.create(
            name=str(fields.get("name") or _("Versi impor")),
            regulation=str(fields.get("regulation") or ""),
            year=reader.integer("versi", 4, "year", fields.get("year")) or 0,
            notes=str(fields.get("notes") or ""),
            created_by=by,
        )
        # A workbook from before the field was exported keeps the model's default.
        if fields.get("revocation_bar_years") is not None:
            bar = reader.integer("versi", 6, "revocation_bar_years", fields["revocation_bar_years"])
            if bar is not None:
                version.revocation_bar_years = bar
                version.save(update_fields=["revocation_bar_years"])
        questions = _import_tree(reader, version, tree)
        _import_options(reader, questions, options)
        _import_rules(reader, version, rules)
        _import_evidence(reader, questions, entries)
        if not reader.problems:
            reader.problems += validate_instrument(instrument_for(version))
        if reader.problems:
            transaction.set_rollback(True)
            raise InstrumentImportError(reader.problems)
    return version


def _import_tree(reader: _Reader, version: LkeVersion, rows) -> dict[str, Question]:
    areas: dict[int, Area] = {}
    indicators: dict[tuple, Indicator] = {}
    questions: dict[str, Question] = {}
    position: dict[tuple, int] = {}
    for line, r in rows:
        level = r["level"]
        if level == "area":
            number = reader.integer("tree", line, "area", r["area"])
            pem = reader.decimal("tree", line, "pemenuhan_weight", r["pemenuhan_weight"])
            ref = reader.decimal("tree", line, "reform_weight", r["reform_weight"])
            if None in (number, pem, ref) or not r["name"]:
                if not r["name"]:
                    reader.fail("tree", line, _("nama area kosong"))
                continue
            if number in areas:
                reader.fail("tree", line, _("area %(n)s ganda") % {"n": number})
                continue
            areas[number] = Area.objects.create(
                version=version,
                number=number,
                name=r["name"],
                pemenuhan_weight=pem,
                reform_weight=ref,
                purpose=r["purpose"] or "",
                examples=r["examples"] or "",
            )
        elif level in ("indicator", "question"):
            key = _indicator_key(reader, line, r, areas)
            if key is None:
                continue
            if level == "indicator":
                # A bad weight is reported but the indicator is still kept in memory, so its
                # questions are checked too instead of drowning in follow-on errors.
                weight = reader.decimal("tree", line, "weight", r["weight"]) or Decimal(0)
                if key in indicators:
                    reader.fail("tree", line, _("indikator ganda"))
                    continue
                indicators[key] = Indicator.objects.create(
                    version=version,
                    section=key[0],
                    area=areas.get(key[1]),
                    number=key[2],
                    name=r["name"] or "",
                    weight=weight,
                )
            else:
                question = _question(reader, line, r, version, indicators.get(key), questions)
                if question is not None:
                    question.position = position.setdefault(key, 0)
                    position[key] += 1
                    question.save()
                    questions[question.code] = question
        else:
            reader.fail(
                "tree",
                line,
                _("level harus area, indicator atau question, bukan %(v)r") % {"v": level},
            )
    return questions


def _indicator_key(reader: _Reader, line: int, r: dict, areas: dict) -> tuple | None:
    if r["section"] not in Section.values:
        reader.fail("tree", line, _("bagian tidak dikenal: %(v)r") % {"v": r["section"]})
        return None
    number = reader.integer("tree", line, "indicator", r["indicator"])
    if r["section"] in ("hasil_1", "hasil_2"):
        return None if number is None else (r["section"], None, number)
    area = reader.integer("tree", line, "area", r["area"])
    if area is not None and area not in areas:
        reader.fail("tree", line, _("area %(n)s belum didefinisikan") % {"n": area})
        return None
    return None if None in (area, number) else (r["section"], area, number)


def _question(reader, line, r, version, indicator, questions) -> Question | None:
    if indicator is None:
        reader.fail("tree", line, _("indikator pertanyaan ini belum didefinisikan di atasnya"))
        return None
    code = r["code"]
    if not code or not r["name"]:
        reader.fail("tree", line, _("kode dan teks pertanyaan wajib diisi"))
        return None
    if code in questions:
        reader.fail("tree", line, _("kode %(code)s ganda") % {"code": code})
        return None
    if r["answer_type"] not in AnswerType.values:
        reader.fail("tree", line, _("jenis jawaban tidak dikenal: %(v)r") % {"v": r["answer_type"]})
        return None
    inputs = [name.strip() for name in str(r["inputs"] or "").split(",") if name.strip()]
    return Question(
        version=version,
        indicator=indicator,
        code=str(code),
        text=str(r["name"]),
        guidance=r["guidance"] or "",
        answer_type=r["answer_type"],
        metric=r["metric"] or "",
        formula=r["formula"] or "",
        inputs=inputs,
        required_evidence=r["required_evidence"] or "",
    )


def _import_options(reader: _Reader, questions: dict[str, Question], rows) -> None:
    positions: dict[str, int] = {}
    batch = []
    for line, r in rows:
        question = questions.get(r["code"])
        if question is None:
            reader.fail(
                "options",
                line,
                _("pertanyaan %(code)s tidak ada di lembar tree") % {"code": r["code"]},
            )
            continue
        score = reader.decimal("options", line, "score", r["score"])
        if score is None:
            continue
        if score > 1:
            reader.fail("options", line, _("nilai pilihan harus antara 0 dan 1"))
            continue
        position = positions.get(question.code, 0)
        positions[question.code] = position + 1
        batch.append(
            Option(
                question=question,
                position=position,
                label=str(r["label"]),
                score=score,
                criteria=r["criteria"] or "",
            )
        )
    labels = [(o.question.code, o.label) for o in batch]
    for code, label in sorted({pair for pair in labels if labels.count(pair) > 1}):
        reader.fail(
            "options",
            0,
            _("pilihan %(label)s ganda untuk %(code)s") % {"label": label, "code": code},
        )
    if not reader.problems:
        Option.objects.bulk_create(batch)


def _import_rules(reader: _Reader, version: LkeVersion, rows) -> None:
    batch = []
    for position, (line, r) in enumerate(rows):
        if r["predicate"] not in ("WBK", "WBBM") or not r["metric"]:
            reader.fail("rules", line, _("predikat harus WBK atau WBBM dan metrik wajib diisi"))
            continue
        rule = PredicateRule(
            version=version, position=position, predicate=r["predicate"], metric=r["metric"]
        )
        if r["metric"] == "prior_predicate":
            rule.minimum_predicate = str(r["minimum"] or "")
            if rule.minimum_predicate not in ("WBK", "WBBM"):
                reader.fail("rules", line, _("predikat sebelumnya harus WBK atau WBBM"))
                continue
        else:
            rule.minimum = reader.decimal("rules", line, "minimum", r["minimum"])
            if rule.minimum is None:
                continue
        batch.append(rule)
    keys = [(r.predicate, r.metric) for r in batch]
    for predicate, metric in sorted({k for k in keys if keys.count(k) > 1}):
        reader.fail("rules", 0, _("aturan %(p)s/%(m)s ganda") % {"p": predicate, "m": metric})
    if not reader.problems:
        PredicateRule.objects.bulk_create(batch)


def _import_evidence(reader: _Reader, questions: dict[str, Question], rows) -> None:
    """The dictionary sheet's entries (or, from an older workbook, the items' free text)."""
    if rows is None:
        if not reader.problems:
            evidence_dictionary.create_from_text(questions.values())
        return
    batch: dict[str, list[EvidenceRequirement]] = {}
    for line, r in rows:
        question = questions.get(r["code"])
        label = str(r["label"] or "").strip()
        if question is None or not label or len(label) > evidence_dictionary.MAX_LABEL:
            reader.fail("kamus_eviden", line, _("kode butir atau jenis dokumen tidak valid"))
            continue
        count = reader.integer("kamus_eviden", line, "min_count", r["min_count"])
        flags = [r[c] in (1, True, "1") for c in ("in_period", "signed", "carry_over")]
        if count is None or count < 1:
            reader.fail("kamus_eviden", line, _("jumlah minimum harus paling sedikit 1"))
            continue
        entries = batch.setdefault(question.code, [])
        entries.append(
            EvidenceRequirement(
                question=question,
                position=len(entries),
                label=label,
                min_count=count,
                must_be_in_period=flags[0],
                must_be_signed=flags[1],
                carry_over_allowed=flags[2],
            )  # fmt: skip
        )
    if reader.problems:
        return
    # The tree's text is a shortcut: where it no longer lists the sheet's labels, it wins and
    # keeps the rules of the entries whose label it still has.
    keep = []
    for question in questions.values():
        given = batch.get(question.code, [])
        lines = evidence_dictionary.lines_of(question.required_evidence)
        if [e.label for e in given] == lines:
            keep += given
            continue
        rules = {e.label.casefold(): e for e in given}
        for entry in evidence_dictionary.entries_from_text(question):
            if (ruled := rules.get(entry.label.casefold())) is not None:
                ruled.position = entry.position
                entry = ruled
            keep.append(entry)
    EvidenceRequirement.objects.bulk_create(keep)


def _shown(value) -> str:
    """A cell's value as an error message quotes it: never a 100,000-character line."""
    text = str(value)
    return text if len(text) <= 40 else f"{text[:37]}..."
