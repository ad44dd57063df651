"""Finding 9 of issue 12: a sign could say a word reserved for the brand's own stores and pass —
``旗 舰 店`` (spaced), ``Flag\\u200bship`` (zero-width space), ``St\\u00adore`` (soft hyphen),
``Stоre`` (Cyrillic о). Full-width letters were already caught.

Now a term is also looked for in the text's look-alike skeleton (cx_audit/audits/scoring/signage.py):
invisible characters removed, letters of other scripts read as the Latin letters they imitate,
spacing between CJK characters closed, spaced-out words joined. The shared vectors
(tests/vectors/scoring.json) hold the tablet to the same; here the evasions go through the real
audit API, and a property says no invisible character or look-alike letter ever gets a term past.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cx_audit.audits.scoring import signage_matches
from journeys.services import framework_publish
from tests.cx_audit.audit_helpers import answers_for
from tests.factories import complete_framework

# The generated folding table the rules read (cx_audit/audits/scoring/confusables_build.py).
TABLE = Path(__file__).parents[2] / "cx_audit" / "audits" / "scoring" / "confusables.json"
FOLDING = json.loads(TABLE.read_text(encoding="utf-8"))
FORBIDDEN = ["Experience Store", "体验店", "旗舰店", "专卖店", "Flagship", "Store", "Retail", "Exclusive"]
SIGN = "Huaxin Telecom — Aurora Authorized Dealer"

EVASIONS = {
    "spaced CJK": ("旗 舰 店", "旗舰店"),
    "hyphenated CJK": ("旗-舰-店", "旗舰店"),
    "middle dots in CJK": ("体·验·店", "体验店"),
    "ideographic spaces in CJK": ("专\u3000卖\u3000店", "专卖店"),
    "zero-width space": ("Flag\u200bship", "Flagship"),
    "soft hyphen": ("St\u00adore", "Store"),
    "Cyrillic о": ("Stоre", "Store"),
    "Greek omicron": ("Stοre", "Store"),
    "bidi controls": ("\u202eRe\u202ctail\u200e", "Retail"),
    "word joiner and zero-width joiner": ("Ex\u2060clu\u200dsive", "Exclusive"),
    "spelt out": ("F l a g s h i p", "Flagship"),
    "mixed: full-width, soft hyphen, Cyrillic capitals": (
        "ＥＸＰЕＲＩ\u00adЕＮＣЕ ЅＴＯＲＥ",
        "Experience Store",
    ),
}


@pytest.fixture
def audits_url(chain):
    """The test framework, its sign item forbidding the words reserved for the brand's own stores."""
    framework = complete_framework(brand=chain.brand)
    framework.items.filter(code="SIG-01").update(forbidden_terms=FORBIDDEN)
    framework_publish(framework=framework)
    return "/api/audits/"


def _submit(client, location, sign_text: str) -> dict:
    created = client.post(
        "/api/audits/",
        {"uuid": str(uuid.uuid4()), "location": location.pk, "kind": "scheduled"},
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/audits/{created.json()['id']}/"
    rows = []
    for answer in answers_for(location):
        row = {"item": answer.item, "kind": answer.kind, "text": answer.text}
        if answer.item == "SIG-01":
            row["text"] = sign_text
        if answer.yes is not None:
            row["yes"] = answer.yes
        for name in ("number", "list_price"):
            if getattr(answer, name) is not None:
                row[name] = str(getattr(answer, name))
        rows.append(row)
    assert client.post(f"{url}answers/", {"answers": rows}, format="json").status_code == 200
    submitted = client.post(f"{url}submit/")
    assert submitted.status_code == 200, submitted.content
    return submitted.json()


@pytest.mark.django_db
class SignageEvasionApiTests:
    def test_an_honest_sign_passes(self, api, chain, role_users, audits_url):
        score = _submit(api(role_users["hq_admin"]), chain.f1_south, SIGN)
        sign = next(item for item in score["items"] if item["item_code"] == "SIG-01")
        assert (sign["outcome"], sign["matched_forbidden"]) == ("pass", [])

    @pytest.mark.parametrize("evasion", EVASIONS, ids=list(EVASIONS))
    def test_each_evasion_is_a_forbidden_term_failure(self, api, chain, role_users, audits_url, evasion):
        written, term = EVASIONS[evasion]
        score = _submit(api(role_users["hq_admin"]), chain.f1_south, f"{SIGN} {written}")
        sign = next(item for item in score["items"] if item["item_code"] == "SIG-01")
        assert sign["outcome"] == "fail"
        assert term in sign["matched_forbidden"]
        assert score["audit"]["critical_failure"] is True  # SIG-01 is critical


# --- the property ---------------------------------------------------------------------------------


def _ignorable() -> list[str]:
    points = []
    for span in FOLDING["ignorable"]:
        low, _, high = span.partition("-")
        points.extend(range(int(low, 16), int(high or low, 16) + 1))
    return [chr(point) for point in points]


IGNORABLE = _ignorable()
# Every look-alike of each Latin letter, whatever its case: Cyrillic О and о both stand for o.
LOOK_ALIKES: dict[str, list[str]] = {}
for _source, _target in FOLDING["look_alikes"].items():
    LOOK_ALIKES.setdefault(_target.casefold(), []).append(_source)


@st.composite
def disguised(draw: st.DrawFn, term: str) -> str:
    """The term with some letters swapped for look-alikes and invisible characters slipped in."""
    out = []
    for char in term:
        swaps = LOOK_ALIKES.get(char.casefold(), [])
        if swaps and draw(st.booleans()):
            char = draw(st.sampled_from(swaps))
        out.append(char)
        if draw(st.booleans()):
            out.append(draw(st.text(st.sampled_from(IGNORABLE), min_size=1, max_size=3)))
    return "".join(out)


class SignageEvasionPropertyTests:
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data(), term=st.sampled_from(FORBIDDEN), case=st.sampled_from([str, str.upper, str.lower]))
    def test_no_invisible_character_or_look_alike_gets_a_term_past(self, data, term, case):
        sign = f"{SIGN} {data.draw(disguised(case(term)))} 24h"
        assert signage_matches(sign, [term]) == (term,), ascii(sign)

    @settings(max_examples=100, deadline=None)
    @given(
        term=st.sampled_from([t for t in FORBIDDEN if not t.isascii()]),
        gap=st.text(
            st.sampled_from([" ", "\u3000", "-", "·", "・", "_", "/", "\u200b"]), min_size=1, max_size=3
        ),
    )
    def test_no_spacing_between_cjk_characters_gets_a_term_past(self, term, gap):
        sign = f"Aurora {gap.join(term)} 授权经销商"
        assert signage_matches(sign, [term]) == (term,), ascii(sign)
