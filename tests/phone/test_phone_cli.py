"""``innerpace serve`` phone options: refused clearly when they cannot work, before listening."""

from __future__ import annotations

from innerpace.cli import main


def test_cert_without_key_is_refused(data_dir, tmp_path, capsys):
    cert = tmp_path / "mine.pem"
    cert.write_text("x")
    code = main(["--data-dir", str(data_dir), "serve", "--no-browser", "--cert", str(cert)])
    assert code == 1
    assert "--cert and --key go together" in capsys.readouterr().err


def test_phone_host_must_be_an_address(data_dir, capsys):
    code = main(
        ["--data-dir", str(data_dir), "serve", "--no-browser", "--phone", "--phone-host", "x y"]
    )
    assert code == 1
    assert "needs an IP address" in capsys.readouterr().err


def test_serve_help_names_the_phone_options(capsys):
    assert main(["serve", "--help"]) == 0
    shown = capsys.readouterr().out
    for option in ("--phone", "--phone-host", "--phone-port", "--cert", "--key"):
        assert option in shown
