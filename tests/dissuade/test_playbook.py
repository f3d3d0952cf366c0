"""Playbooks: one complete, bilingual file per scam code, checked against one schema."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dissuade.domain.codes import ScamType
from dissuade.playbooks.playbook import LANGS, load_library
from dissuade.resources import resource_dir

# espeak-ng's Mandarin voice speaks about 4.3 characters a second (SETUP-NOTES): 40 s ≈ 170.
VOICE_MAX_ZH = 170
VOICE_MAX_EN_WORDS = 100


def test_every_scam_code_has_a_playbook_that_loads_cleanly() -> None:
    library = load_library()
    assert [str(e) for e in library.errors] == []
    assert set(library.playbooks) == {code.value for code in ScamType}


@pytest.mark.parametrize("code", [c.value for c in ScamType])
def test_playbook_is_complete_in_both_languages(code: str) -> None:
    book = load_library().playbooks[code]
    for lang in LANGS:
        assert len(book.text("summary", lang)) >= 200, (code, lang)
        assert "{name}" in book.text("sms", lang)
        assert book.items("channels", lang)
    assert [s["key"] for s in book.stages] == ["contact", "trust", "hook", "payment", "repeat"]
    assert len(book.objections) >= 3
    zh_voice = book.text("voice", "zh")
    assert len(re.findall(r"[\u4e00-\u9fff0-9]", zh_voice)) <= VOICE_MAX_ZH
    assert len(book.text("voice", "en").split()) <= VOICE_MAX_EN_WORDS
    for turn in book.data["rehearsal"]["turns"]:
        assert turn["points"], code
        assert sum(bool(c.get("correct")) for c in turn["choices"]) == 1, code


def test_ids_are_unique_across_playbooks_and_cues_point_at_real_codes() -> None:
    seen: dict[str, str] = {}
    codes = {c.value for c in ScamType}
    for code, book in load_library().playbooks.items():
        ids = [cue["id"] for st in book.stages for cue in st["cues"]]
        ids += [obj["id"] for obj in book.objections if "id" in obj]
        ids += [p["id"] for turn in book.data["rehearsal"]["turns"] for p in turn["points"]]
        for ident in ids:
            assert ident not in seen, f"{ident} in {code} and {seen.get(ident)}"
            seen[ident] = code
        for stage in book.stages:
            for cue in stage["cues"]:
                assert set(cue.get("also", [])) <= codes, cue["id"]


def test_a_broken_file_is_named_with_its_field_and_the_others_still_load(tmp_path: Path) -> None:
    folder = tmp_path / "playbooks"
    shutil.copytree(resource_dir("playbooks"), folder)
    text = (folder / "fake_loan.toml").read_text(encoding="utf-8")
    (folder / "fake_loan.toml").write_text(text.replace("[sms]", "[sms_renamed]"),
                                           encoding="utf-8")
    (folder / "fake_shopping.toml").write_text("code = ", encoding="utf-8")
    library = load_library(folder)
    errors = sorted(str(e) for e in library.errors)
    assert len(errors) == 2
    assert errors[0].startswith("fake_loan.toml: sms")
    assert errors[1].startswith("fake_shopping.toml: (file): not valid TOML")
    assert "fake_loan" not in library.playbooks
    assert len(library.playbooks) == len(ScamType) - 2


def test_trainers_files_override_the_shipped_ones_and_a_broken_one_leaves_it(
    tmp_path: Path,
) -> None:
    local = tmp_path / "mine"
    local.mkdir()
    text = (resource_dir("playbooks") / "fake_loan.toml").read_text(encoding="utf-8")
    edited = text.replace('zh = "虚假网络贷款"', 'zh = "虚假网络贷款（本中心版）"', 1)
    (local / "fake_loan.toml").write_text(edited, encoding="utf-8")
    (local / "fake_shopping.toml").write_text("code = 'fake_shopping'\n", encoding="utf-8")
    library = load_library(local=local)
    assert library.playbooks["fake_loan"].text("name") == "虚假网络贷款（本中心版）"
    assert library.playbooks["fake_loan"].path == local / "fake_loan.toml"
    assert [str(e).split(":")[0] for e in library.errors] == ["fake_shopping.toml"]
    assert library.playbooks["fake_shopping"].path.parent == resource_dir("playbooks")
