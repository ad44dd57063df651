"""The signage folding table (cx_audit/audits/scoring/confusables.json) and the tablet's copy
(static/cx_audit/tablet/confusables.js) are what the generator writes, so neither drifts."""

from __future__ import annotations

import json

from cx_audit.audits.scoring import confusables_build as build


class FoldingTableTests:
    def test_the_committed_files_are_what_the_generator_writes(self):
        as_json, module = build.render(build.table())
        assert build.TABLE.read_text(encoding="utf-8") == as_json, "regenerate: see confusables_build.py"
        assert build.TABLET_MODULE.read_text(encoding="utf-8") == module, (
            "regenerate: see confusables_build.py"
        )

    def test_the_look_alikes_map_single_letters_to_one_latin_letter_or_digit(self):
        look_alikes = json.loads(build.TABLE.read_text(encoding="utf-8"))["look_alikes"]
        assert look_alikes["о"] == "o"  # Cyrillic
        assert look_alikes["ο"] == "o"  # Greek
        assert look_alikes["І"] == "I"  # a capital stands for I, not l
        assert all(len(source) == 1 and not source.isascii() for source in look_alikes)
        assert set(look_alikes.values()) <= build.TARGETS
        assert "ı" not in look_alikes  # Turkish dotless i is a letter of its own
