"""No personal data in clear (pure): masking contact details in comments, hashing customer references."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cx_audit.voice.pii import hash_customer, mask, normalise_reference


class MaskTests:
    @pytest.mark.parametrize(
        ("text", "masked"),
        [
            ("请联系我13812345678，谢谢", "请联系我138****5678，谢谢"),
            ("call +86 138 1234 5678", "call +86 138 **** 5678"),
            ("0086-139-1234-5678", "0086-139-****-5678"),
            ("门店电话010-12345678", "门店电话010-****5678"),
            ("0755 1234 5678 找王经理", "0755 **** 5678 找王经理"),
            ("(021) 61234567", "(021) ****4567"),
            ("UK: +44 20 7946 0958.", "UK: +44 ** **** 0958."),
            ("mail john.smith@example.com now", "mail j***@example.com now"),
            ("13812345678@163.com", "1***@163.com"),
            ("全角１３８１２３４５６７８", "全角１３８****５６７８"),
            ("IMEI 356938035643809", "IMEI ***********3809"),
        ],
    )
    def test_contact_details_are_masked_with_a_hint(self, text, masked):
        assert mask(text) == masked

    @pytest.mark.parametrize(
        "text",
        [
            "价格3999元，比京东贵500",
            "2026-12-05 15:30 到店",
            "2026年12月5日",
            "订单号 123456",
            "Mate 60 Pro, iPhone 15",
            "Label said 3,999 but at the till it was 4,299.",
            "Booked for 3pm, waited 40 minutes",
            "¥12999",
        ],
    )
    def test_ordinary_numbers_are_left_alone(self, text):
        assert mask(text) == text


DIGITS = re.compile(r"\d")
MOBILE = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
FILLER = st.text(alphabet=st.sampled_from("店员很热情价格元 ,.-+@()abc0123456789"), max_size=12)


class MaskPropertyTests:
    @settings(max_examples=80, deadline=None)
    @given(st.lists(FILLER | MOBILE | st.emails(), max_size=5).map(" ".join))
    def test_masking_is_idempotent_and_never_reveals_more_digits(self, text):
        once = mask(text)
        assert mask(once) == once
        assert len(DIGITS.findall(once)) <= len(DIGITS.findall(text))

    @settings(max_examples=50, deadline=None)
    @given(FILLER, MOBILE, FILLER)
    def test_a_mobile_number_never_survives(self, before, number, after):
        masked = mask(f"{before} {number}，{after}")
        assert number not in masked
        assert f"{number[:3]}****{number[-4:]}" in masked


class HashTests:
    KEY = "brand-key"

    def test_the_same_customer_hashes_the_same(self):
        same = ["+86 138-1234-5678", "13812345678", " 0086 138 1234 5678 "]
        assert len({hash_customer(ref, self.KEY) for ref in same}) == 1
        assert hash_customer(" Alice@Example.COM ", self.KEY) == hash_customer("alice@example.com", self.KEY)
        assert normalise_reference("ＡＢＣ-1") == "abc-1"

    def test_the_hash_needs_the_key(self):
        digest = hash_customer("13812345678", self.KEY)
        assert re.fullmatch(r"[0-9a-f]{64}", digest)
        assert digest != hashlib.sha256(b"13812345678").hexdigest()
        assert digest != hash_customer("13812345678", "another-brand")
        assert digest != hash_customer("13812345679", self.KEY)
        with pytest.raises(ValueError, match="key"):
            hash_customer("13812345678", "")
