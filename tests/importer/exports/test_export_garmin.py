import io
import os
import zipfile
from datetime import UTC, datetime

from innerpace.importer import Outcome
from innerpace.importer.exports import apple, garmin, strava


def test_a_garmin_export_brings_the_activities_in_its_nested_zips(journal, tmp_path, fx):
    path = fx.write_zip(tmp_path / "garmin.zip", fx.garmin_export())
    report = journal.import_paths([path], workers=1)
    assert not report.failed
    imported = sorted(f.file.rsplit("!", 1)[-1] for f in report.files if f.activities)
    assert imported == ["someone_123.fit", "someone_124.fit", "someone_126.gpx", "someone_127.tcx"]
    multisport = next(f for f in report.files if f.file.endswith("someone_124.fit"))
    assert report.imported == 3 + multisport.activities >= 6
    skipped = {
        f.file.rsplit("!", 1)[-1]: f.message for f in report.files if f.outcome is Outcome.SKIPPED
    }
    assert "someone_125.fit" in skipped  # a settings file holds no activity
    kinds = {f.kind: f.count for f in report.files if f.outcome is Outcome.SKIPPED}
    assert kinds == {"non-activity files": 1, "account files": 3, "non-activity FIT files": 1}
    runs = journal.store.counts()["runs"]
    again = journal.import_paths([path], workers=2)
    assert again.imported == 0 and journal.store.counts()["runs"] == runs


def test_an_unpacked_garmin_folder_reads_the_same(journal, tmp_path, fx):
    folder = fx.write_folder(tmp_path / "garmin", fx.garmin_export())
    report = journal.import_paths([folder], workers=1)
    assert not report.failed
    assert {f.file.rsplit("!", 1)[-1] for f in report.files if f.activities} == {
        "someone_123.fit",
        "someone_124.fit",
        "someone_126.gpx",
        "someone_127.tcx",
    }


def test_a_damaged_inner_zip_fails_alone(journal, tmp_path, fx):
    members = fx.garmin_export()
    members["DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_1-_Part3.zip"] = b"PK\x03\x04xx"
    path = fx.write_zip(tmp_path / "garmin.zip", members)
    report = journal.import_paths([path], workers=1)
    (failure,) = report.failed
    assert failure.file.endswith("UploadedFiles_1-_Part3.zip")
    assert "damaged" in failure.message
    assert report.imported >= 6


def test_only_a_garmin_export_is_taken_for_one(tmp_path, fx):
    path = fx.write_zip(tmp_path / "garmin.zip", fx.garmin_export())
    assert strava.read_export(path) is None
    assert apple.read_export(path) is None
    assert garmin.read_export(path) is not None
    plain = fx.write_zip(tmp_path / "runs.zip", {"a.gpx": fx.gpx_bytes(fx.datetime.now(fx.UTC))})
    assert garmin.read_export(plain) is None
    assert garmin.read_export(tmp_path) is None  # a folder of zips is not an export


class _Unseekable(io.RawIOBase):
    """A write-only stream, so zipfile writes each member with a data descriptor, as phones
    and servers that stream their archives do."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self.buffer.write(data)


def test_an_upload_part_bigger_than_any_file_limit_is_walked_as_a_stream(
    journal, tmp_path, fx, monkeypatch
):
    from innerpace.importer.exports import garmin as reader

    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1 << 20)  # one activity file's limit: 1 MB
    sink = _Unseekable()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as part:
        part.writestr("filler.bin", os.urandom(3 << 20))  # the part is over 3 MB
        part.writestr("someone_123.fit", fx.RUN_FIT.read_bytes())
        part.writestr("someone_126.gpx", fx.gpx_bytes(datetime(2021, 5, 3, 7, tzinfo=UTC)))
    data = sink.buffer.getvalue()
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].flag_bits & 0x08  # descriptors
    path = fx.write_zip(
        tmp_path / "garmin.zip",
        {"DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": data},
    )
    report = journal.import_paths([path], workers=1)
    assert not report.failed and report.imported == 2
    kinds = {f.kind: f.count for f in report.files if f.outcome is Outcome.SKIPPED}
    assert kinds == {"non-activity files": 1}
