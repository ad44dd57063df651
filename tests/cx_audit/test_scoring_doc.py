"""docs/scoring.md must tell the truth: every row of every table in it is checked against the engine.

The page's tables are written in a small notation a person can read (`rating 4`,
`price 5299 / 5599`, `target: direct 24, authorized 8; pass/fail`); this module parses it back
into rules and answers, scores them with `cx_audit.audits.scoring`, and compares every figure and reason
with the table. A table whose header is not known here fails the test, so no table on the page
goes unchecked, and unknown notation raises rather than being skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from cx_audit.audits.scoring import (
    DEFAULT_BANDS,
    Answer,
    AnswerKind,
    AuditScore,
    Band,
    DimensionRule,
    ItemRule,
    ItemScore,
    Outcome,
    Policy,
    SectionRule,
    answer_problem,
    score_audit,
    signage_matches,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"
D = Decimal
NONE = "—"
TYPES = {
    "yes/no": "yes_no",
    "rating": "rating",
    "number": "number",
    "price": "price",
    "signage text": "signage_text",
    "free text": "text",
    "photo": "photo",
}
OUTCOMES = {
    "pass": Outcome.PASS,
    "partial": Outcome.PARTIAL,
    "fail": Outcome.FAIL,
    "N/A": Outcome.NA,
    "cannot check": Outcome.CANNOT_CHECK,
    "not applicable": Outcome.NOT_APPLICABLE,
    "not scored": Outcome.UNSCORED,
    "missing": Outcome.MISSING,
}
HEADERS = {
    "answer types": ("type", "standard", "outlet", "answer", "outcome", "fraction", "reason"),
    "bands": ("band", "from score"),
    "delta": (
        "dimension",
        "importance",
        "expectation",
        "experience",
        "satisfaction",
        "weighted satisfaction",
        "key rank",
    ),
    "signage": ("signage text", "term", "found"),
    "refused": ("type", "standard", "answer", "refused because"),
    "audit": ("audit", "value"),
    "items": (
        "code",
        "section",
        "dimension",
        "type",
        "weight",
        "critical",
        "applies to",
        "standard",
        "answer",
        "outcome",
        "earned",
        "possible",
        "finding",
        "reason",
    ),
    "sections": (
        "section",
        "weight",
        "earned",
        "possible",
        "score",
        "passed",
        "failed",
        "N/A",
        "cannot check",
    ),
    "result": ("result", "value"),
    "dimensions": (
        "dimension",
        "importance",
        "expectation",
        "ideal",
        "earned",
        "possible",
        "experience",
        "satisfaction",
        "weighted satisfaction",
        "ideal gap",
        "key rank",
    ),
}
KINDS = {header: kind for kind, header in HEADERS.items()}


# --- reading the page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    line: int  # in docs/scoring.md, for failure messages and test ids
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]


@dataclass(frozen=True)
class Table:
    kind: str | None  # None: a header this test does not know
    line: int
    rows: tuple[Row, ...]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().removeprefix("|").removesuffix("|").split("|")]


def read_tables(text: str) -> list[Table]:
    """Every Markdown table on the page, in order, its rows keyed by column name."""
    tables: list[Table] = []
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        if not lines[number].startswith("|"):
            number += 1
            continue
        start, header = number + 1, tuple(_cells(lines[number]))
        number += 2  # header and the |---| line
        rows = []
        while number < len(lines) and lines[number].startswith("|"):
            rows.append(Row(number + 1, dict(zip(header, _cells(lines[number]), strict=True))))
            number += 1
        tables.append(Table(KINDS.get(header), start, tuple(rows)))
    return tables


TABLES = read_tables(DOC.read_text(encoding="utf-8"))


def rows(kind: str) -> list[Row]:
    return [row for table in TABLES if table.kind == kind for row in table.rows]


def row_params(kind: str) -> list:
    return [pytest.param(row, id=f"line {row.line}") for row in rows(kind)]


# --- the notation -----------------------------------------------------------------------------------

TERMS = re.compile(r'"[^"]+"(?:, "[^"]+")*')


def _terms(text: str) -> tuple[str, ...]:
    assert TERMS.fullmatch(text), f"terms must be quoted and comma-separated: {text!r}"
    return tuple(re.findall(r'"([^"]+)"', text))


def _targets(text: str) -> dict[str, Decimal]:
    pairs = (re.fullmatch(r"(direct|authorized) (\d+(?:\.\d+)?)", part) for part in text.split(", "))
    return {match[1]: D(match[2]) for match in _all_matched(pairs, text)}


def _bands(text: str) -> dict[str, tuple[Decimal, Decimal]]:
    pattern = r"(direct|authorized) (\d+(?:\.\d+)?)–(\d+(?:\.\d+)?)%"
    pairs = (re.fullmatch(pattern, part) for part in text.split(", "))
    return {match[1]: (D(match[2]), D(match[3])) for match in _all_matched(pairs, text)}


def _all_matched(matches, text: str) -> list[re.Match[str]]:
    found = list(matches)
    assert found, f"nothing given in {text!r}"
    assert all(found), f"cannot read {text!r}"
    return found


def parse_standard(cell: str) -> dict:
    """`target: direct 24, authorized 8; pass/fail`, `band: …`, `required: "…"`, `N/A allowed`, `—`."""
    if cell == NONE:
        return {}
    rule: dict = {}
    for part in cell.split("; "):
        label, _, rest = part.partition(": ")
        if label == "target":
            rule["targets"] = _targets(rest)
        elif label == "band":
            rule["price_bands"] = _bands(rest)
        elif label == "required":
            rule["required_terms"] = _terms(rest)
        elif label == "forbidden":
            rule["forbidden_terms"] = _terms(rest)
        elif part == "pass/fail":
            rule["pass_fail"] = True
        elif part == "N/A allowed":
            rule["na_allowed"] = True
        elif part == "cannot check not allowed":
            rule["cannot_check_allowed"] = False
        else:
            raise ValueError(f"unknown standard notation {part!r}")
    return rule


NUMBER = r"-?\d+(?:\.\d+)?"
ANSWERS = {
    "yes": Answer(yes=True),
    "no": Answer(yes=False),
    "N/A": Answer(kind=AnswerKind.NA),
    "cannot check": Answer(kind=AnswerKind.CANNOT_CHECK),
    "(blank)": Answer(),
}


def parse_answer(cell: str) -> Answer | None:
    """`yes`, `no`, `rating 4`, `7`, `price 5299 / 5599`, `text "…"`, `2 photos`, `N/A`, `—` (none)."""
    if cell == NONE:
        return None
    if cell in ANSWERS:
        return ANSWERS[cell]
    if match := re.fullmatch(f"rating ({NUMBER})", cell):
        return Answer(number=D(match[1]))
    if match := re.fullmatch(f"price ({NUMBER})(?: / ({NUMBER}))?", cell):
        return Answer(number=D(match[1]), list_price=None if match[2] is None else D(match[2]))
    if match := re.fullmatch(r'text "([^"]*)"', cell):
        return Answer(text=match[1])
    if match := re.fullmatch(r"(\d+) photos?", cell):
        return Answer(photos=int(match[1]))
    if re.fullmatch(NUMBER, cell):
        return Answer(number=D(cell))
    raise ValueError(f"unknown answer notation {cell!r}")


def shown(value: Decimal | int | None) -> str:
    """How the page writes a figure: as the engine rounds it, — for none."""
    return NONE if value is None else str(value)


def decimal_or_none(cell: str) -> Decimal | None:
    return None if cell == NONE else D(cell)


def item_rule(row: Row, code: str = "X", section: str = "s") -> ItemRule:
    return ItemRule(code, section, TYPES[row["type"]], **parse_standard(row["standard"]))


# --- the page as a whole ----------------------------------------------------------------------------


class DocumentTests:
    def test_every_table_is_one_this_test_checks(self):
        unknown = [table.line for table in TABLES if table.kind is None]
        assert not unknown, f"tables at lines {unknown} of docs/scoring.md are not checked by any test"

    @pytest.mark.parametrize("kind", sorted(HEADERS))
    def test_every_kind_of_table_is_on_the_page_with_rows(self, kind):
        assert rows(kind), f"docs/scoring.md has no {kind} table rows"


# --- section 2: what each answer earns ----------------------------------------------------------


class AnswerTypeTableTests:
    @pytest.mark.parametrize("row", row_params("answer types"))
    def test_row(self, row):
        rule = item_rule(row)
        answer = parse_answer(row["answer"])
        answers = {} if answer is None else {rule.code: answer}
        result = score_audit(
            outlet_type=row["outlet"], items=[rule], answers=answers, sections=[SectionRule("s")]
        )
        item = result.items[0]
        assert (item.outcome, shown(item.fraction), item.reason) == (
            OUTCOMES[row["outcome"]],
            row["fraction"],
            row["reason"],
        )


# --- section 4: bands -----------------------------------------------------------------------------


class BandTableTests:
    def test_default_bands_are_the_documented_ones(self):
        documented = tuple(Band(row["band"], D(row["from score"])) for row in rows("bands"))
        assert documented == DEFAULT_BANDS


# --- section 5-6: the Delta law -------------------------------------------------------------------


class DeltaTableTests:
    """Each row's experience is produced by one number item (target 10) mapped to the dimension."""

    def result(self) -> AuditScore:
        table = rows("delta")
        items = [
            ItemRule(f"I{n}", "s", "number", targets={"direct": D(10)}, dimension=row["dimension"])
            for n, row in enumerate(table)
        ]
        answers = {f"I{n}": Answer(number=D(row["experience"])) for n, row in enumerate(table)}
        dimensions = [
            DimensionRule(row["dimension"], D(row["importance"]), D(row["expectation"]), ideal=D(10))
            for row in table
        ]
        return score_audit(
            outlet_type="direct",
            items=items,
            answers=answers,
            sections=[SectionRule("s")],
            dimensions=dimensions,
        )

    @pytest.mark.parametrize("row", row_params("delta"))
    def test_row(self, row):
        scores = {dimension.code: dimension for dimension in self.result().dimensions}
        dimension = scores[row["dimension"]]
        assert dimension.experience == D(row["experience"])
        assert (shown(dimension.satisfaction), shown(dimension.weighted_satisfaction)) == (
            row["satisfaction"],
            row["weighted satisfaction"],
        )
        assert shown(dimension.key_rank) == row["key rank"]


# --- section 7: signage matching ------------------------------------------------------------------


class SignageTableTests:
    @pytest.mark.parametrize("row", row_params("signage"))
    def test_row(self, row):
        assert row["found"] in ("yes", "no")
        expected = (row["term"],) if row["found"] == "yes" else ()
        assert signage_matches(row["signage text"], [row["term"]]) == expected


# --- section 8: refused answers -------------------------------------------------------------------


class RefusedAnswerTableTests:
    @pytest.mark.parametrize("row", row_params("refused"))
    def test_row(self, row):
        answer = parse_answer(row["answer"])
        assert answer is not None
        assert answer_problem(item_rule(row), answer) == row["refused because"]


# --- section 9: worked examples -------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """One worked example: the tables from its `audit` table up to the next one."""

    audit: dict[str, str]
    items: tuple[Row, ...]
    sections: tuple[Row, ...]
    result: dict[str, str]
    dimensions: tuple[Row, ...]

    def score(self) -> AuditScore:
        rules = [
            ItemRule(
                row["code"],
                row["section"],
                TYPES[row["type"]],
                weight=D(row["weight"]),
                critical={"yes": True, "no": False}[row["critical"]],
                applies_to=frozenset(
                    {"direct", "authorized"} if row["applies to"] == "both" else {row["applies to"]}
                ),
                dimension=None if row["dimension"] == NONE else row["dimension"],
                **parse_standard(row["standard"]),
            )
            for row in self.items
        ]
        answers = {row["code"]: parse_answer(row["answer"]) for row in self.items}
        previous = self.audit["failed in the previous audit"]
        return score_audit(
            outlet_type=self.audit["outlet type"],
            items=rules,
            answers={code: answer for code, answer in answers.items() if answer is not None},
            sections=[SectionRule(row["section"], D(row["weight"])) for row in self.sections],
            dimensions=[
                DimensionRule(row["dimension"], D(row["importance"]), D(row["expectation"]), D(row["ideal"]))
                for row in self.dimensions
            ],
            policy=Policy(critical_cap=D(self.audit["critical cap"])),
            previous_failures=frozenset() if previous == NONE else frozenset(previous.split(", ")),
        )


def read_examples(tables: list[Table]) -> list[Example]:
    groups: list[dict[str, list[Row]]] = []
    for table in tables:
        if table.kind == "audit":
            groups.append({})
        if groups and table.kind in ("audit", "items", "sections", "result", "dimensions"):
            groups[-1].setdefault(table.kind, []).extend(table.rows)
    examples = []
    for group in groups:
        assert set(group) == {"audit", "items", "sections", "result", "dimensions"}, (
            "an example is incomplete"
        )
        examples.append(
            Example(
                audit={row["audit"]: row["value"] for row in group["audit"]},
                items=tuple(group["items"]),
                sections=tuple(group["sections"]),
                result={row["result"]: row["value"] for row in group["result"]},
                dimensions=tuple(group["dimensions"]),
            )
        )
    return examples


EXAMPLES = read_examples(TABLES)


@cache
def scored(index: int) -> AuditScore:
    return EXAMPLES[index].score()


def example_params(part: str) -> list:
    return [
        pytest.param(index, row, id=f"line {row.line}")
        for index, example in enumerate(EXAMPLES)
        for row in getattr(example, part)
    ]


def finding(item: ItemScore) -> str:
    flags = [name for name, on in (("critical failure", item.critical_failed), ("repeat", item.repeat)) if on]
    return ", ".join(flags) or NONE


def codes(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(values) or NONE


class WorkedExampleTests:
    def test_there_is_a_worked_example(self):
        assert EXAMPLES

    @pytest.mark.parametrize(("index", "row"), example_params("items"))
    def test_item_row(self, index, row):
        item = {item.code: item for item in scored(index).items}[row["code"]]
        assert (item.outcome, shown(item.earned), shown(item.possible)) == (
            OUTCOMES[row["outcome"]],
            row["earned"],
            row["possible"],
        )
        assert item.reason == row["reason"]
        assert finding(item) == row["finding"]

    @pytest.mark.parametrize(("index", "row"), example_params("sections"))
    def test_section_row(self, index, row):
        section = {section.code: section for section in scored(index).sections}[row["section"]]
        figures = (
            section.earned,
            section.possible,
            section.score,
            section.passed,
            section.failed,
            section.na,
        )
        columns = ("earned", "possible", "score", "passed", "failed", "N/A")
        assert tuple(map(shown, figures)) == tuple(row[column] for column in columns)
        assert shown(section.cannot_check) == row["cannot check"]

    @pytest.mark.parametrize("index", range(len(EXAMPLES)))
    def test_result_rows(self, index):
        result = scored(index)
        expected = {
            "raw score": shown(result.raw_score),
            "critical failure": "yes" if result.critical_failure else "no",
            "score": shown(result.score),
            "band": result.band or NONE,
            "N/A answers": shown(result.na_count),
            "cannot-check answers": shown(result.cannot_check_count),
            "repeat findings": codes([item.code for item in result.items if item.repeat]),
            "key experiences": codes(result.key_experiences),
        }
        assert EXAMPLES[index].result == expected

    @pytest.mark.parametrize(("index", "row"), example_params("dimensions"))
    def test_dimension_row(self, index, row):
        dimension = {d.code: d for d in scored(index).dimensions}[row["dimension"]]
        figures = {
            "earned": dimension.earned,
            "possible": dimension.possible,
            "experience": dimension.experience,
            "satisfaction": dimension.satisfaction,
            "weighted satisfaction": dimension.weighted_satisfaction,
            "ideal gap": dimension.ideal_gap,
            "key rank": dimension.key_rank,
        }
        assert {column: shown(value) for column, value in figures.items()} == {
            column: row[column] for column in figures
        }

    @pytest.mark.parametrize("index", range(len(EXAMPLES)))
    def test_every_item_of_the_audit_is_a_row(self, index):
        assert [item.code for item in scored(index).items] == [row["code"] for row in EXAMPLES[index].items]
