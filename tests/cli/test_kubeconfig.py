"""Kubeconfig merging and writing, as files on disk (no cluster needed)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml

from kitlib.cli import kubeconfig
from kitlib.cli.console import KitError

OURS = {"apiVersion": "v1", "kind": "Config", "preferences": {},
        "clusters": [{"name": "kit", "cluster": {"server": "http://127.0.0.1:6443"}}],
        "users": [{"name": "kit", "user": {"token": "secret"}}],
        "contexts": [{"name": "kit", "context": {"cluster": "kit", "user": "kit",
                                                 "namespace": "default"}}],
        "current-context": "kit"}

THEIRS = {"apiVersion": "v1", "kind": "Config", "current-context": "prod",
          "clusters": [{"name": "kit", "cluster": {"server": "http://127.0.0.1:1"}},
                       {"name": "prod", "cluster": {"server": "https://prod"}}],
          "users": [{"name": "prod", "user": {"token": "p"}}],
          "contexts": [{"name": "prod", "context": {"cluster": "prod", "user": "prod"}}],
          "extensions": [{"name": "x", "extension": {"a": 1}}]}


def test_merge_replaces_same_names_in_place_and_appends_the_rest() -> None:
    merged = kubeconfig.merge(THEIRS, OURS)
    assert merged == {
        "apiVersion": "v1", "kind": "Config", "current-context": "kit",
        "clusters": [OURS["clusters"][0], THEIRS["clusters"][1]],
        "users": [THEIRS["users"][0], OURS["users"][0]],
        "contexts": [THEIRS["contexts"][0], OURS["contexts"][0]],
        "extensions": THEIRS["extensions"]}
    assert THEIRS["current-context"] == "prod"          # the input is not modified


def test_merge_into_nothing_is_ours() -> None:
    assert kubeconfig.merge(kubeconfig.empty(), OURS) == {**OURS, "preferences": {}}
    assert kubeconfig.merge({}, OURS)["apiVersion"] == "v1"


def test_write_is_private_and_complete(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "config"
    kubeconfig.write(path, OURS)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert yaml.safe_load(path.read_text()) == OURS
    assert [p.name for p in path.parent.iterdir()] == ["config"]      # no temp file left


def test_write_tightens_an_existing_files_mode(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text("")
    path.chmod(0o644)
    kubeconfig.merge_into(path, OURS)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not Path(f"{path}.lock").exists()


def test_a_symlinked_kubeconfig_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "kubeconfig"
    real.parent.mkdir()
    real.write_text(yaml.safe_dump(THEIRS))
    link = tmp_path / "config"
    link.symlink_to(real)
    kubeconfig.merge_into(link, OURS)
    assert link.is_symlink()
    assert yaml.safe_load(real.read_text())["current-context"] == "kit"


def test_a_held_lock_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "config"
    Path(f"{path}.lock").write_text("")
    with pytest.raises(KitError, match=r"is locked by another program"):
        kubeconfig.merge_into(path, OURS)
    assert not path.exists()


@pytest.mark.parametrize("text", ["{not: [yaml", "- a\n- list\n", "clusters: 3\n"])
def test_what_is_not_a_kubeconfig_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config"
    path.write_text(text)
    with pytest.raises(KitError, match=r"is not a kubeconfig"):
        kubeconfig.check_writable(path)


def test_check_writable_refuses_a_directory_and_a_file_as_parent(tmp_path: Path) -> None:
    with pytest.raises(KitError, match="it is a directory"):
        kubeconfig.check_writable(tmp_path)
    (tmp_path / "file").write_text("")
    with pytest.raises(KitError, match="cannot write the kubeconfig"):
        kubeconfig.check_writable(tmp_path / "file" / "config")


def test_credentials_follow_the_context(tmp_path: Path) -> None:
    path = tmp_path / "config"
    kubeconfig.merge_into(path, OURS)
    assert kubeconfig.credentials(path) == kubeconfig.Credentials(
        server="http://127.0.0.1:6443", token="secret", ca_pem=None)
    with pytest.raises(KitError, match="has no context 'other'"):
        kubeconfig.credentials(path, context="other")


def test_an_empty_or_missing_file_reads_as_empty(tmp_path: Path) -> None:
    assert kubeconfig.read(tmp_path / "missing") == kubeconfig.empty()
    (tmp_path / "blank").write_text("\n")
    assert kubeconfig.read(tmp_path / "blank") == kubeconfig.empty()
    assert os.listdir(tmp_path) == ["blank"]


def test_credentials_carry_the_ca_inline_or_from_a_file(tmp_path: Path) -> None:
    import base64

    inline = {**OURS, "clusters": [{"name": "kit", "cluster": {
        "server": "https://127.0.0.1:6443",
        "certificate-authority-data": base64.b64encode(b"PEM").decode()}}]}
    path = tmp_path / "config"
    kubeconfig.write(path, inline)
    assert kubeconfig.credentials(path).ca_pem == b"PEM"
    (tmp_path / "ca.crt").write_bytes(b"FILE")
    kubeconfig.write(path, {**OURS, "clusters": [{"name": "kit", "cluster": {
        "server": "https://127.0.0.1:6443", "certificate-authority": "ca.crt"}}]})
    assert kubeconfig.credentials(path).ca_pem == b"FILE"
