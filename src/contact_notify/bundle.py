"""The evidence bundle: the timeline, a copy of every evidence file and a manifest, in one place.

A bundle is a ``.zip`` file or a folder holding:

* ``timeline.html``, ``timeline.md``, ``timeline.csv``: the evidence kit (evidence.RENDERERS);
* ``files/0007.png`` …: a copy of each attached file, named by its attachment's number
  and the original's suffix when that is a plain one (letters and digits): a name from
  the case never becomes a path in the bundle, so it can neither escape it nor show
  anybody's name;
* ``manifest.csv`` (with a BOM, for Excel and WPS) and ``manifest.json``: for each
  attached file its name in the bundle, its reach record, where it was, its size and
  SHA-256 as recorded and of the copy, its modification time, and its state;
* ``SHA256SUMS``: the SHA-256 of every other file of the bundle (``shasum -a 256 -c``);
* ``README.txt``: what all this is and how to check it, in the interface language.

Each file is copied as a stream and hashed as it is copied, so a recording of any
size passes through a small buffer, and the manifest's hash is that of the bytes in
the bundle.  A copy that does not match what was recorded is flagged ``changed``
(both hashes in the manifest), never passed off as the original; a file that is no
longer there (or is no longer a regular file) is listed ``missing``, without a copy.

The whole bundle is built aside and put in place only when complete
(:func:`contact_notify.fileio.atomic_stream`, :func:`contact_notify.fileio.folder_aside`):
an error, Ctrl-C or a kill leaves nothing under its name, and the next bundle to the
same name removes what a kill left aside.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import BinaryIO, Protocol

from contact_notify import clock, faults, fileio
from contact_notify.csvsafe import write_csv
from contact_notify.errors import InputDataError, OutputError
from contact_notify.evidence import RENDERERS, STATES, Evidence, Masker
from contact_notify.i18n import N_, _
from contact_notify.model import Attachment

README = "README.txt"
MANIFEST_CSV = "manifest.csv"
MANIFEST_JSON = "manifest.json"
SUMS = "SHA256SUMS"
FILES = "files"
TIMELINE = {"html": "timeline.html", "md": "timeline.md", "csv": "timeline.csv"}

_CHUNK = 1 << 20
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")
# The hidden names a bundle is built under beside OUT (fileio.staging_for) and a replaced
# folder waits under (fileio.Staged.aside): the only names a later bundle removes.
_LEFTOVER = re.compile(r"[0-9a-f]{12}\.(?:tmp|old)")
# Above this size a zip entry gets ZIP64 fields from the start (the file may grow as it is read).
_ZIP64_FROM = 1 << 30


@dataclass(frozen=True)
class Source:
    """An attached file to bundle, with the time of the reach it backs."""

    attachment: Attachment
    reach_at: str


@dataclass(frozen=True)
class BundledFile:
    """One line of the manifest: an attached file, and what the bundle holds of it."""

    name: str  # in the bundle (files/0007.png); "" when missing
    attachment: int
    reach: int
    reach_at: str
    path: str  # the original's path; only its (masked) file name when the bundle is masked
    size: int  # as recorded
    sha256: str  # as recorded
    copy_size: int | None  # of the copy; None when missing
    copy_sha256: str  # of the copy; "" when missing
    modified: str  # the original's modification time when copied; "" when missing
    attached: str  # when it was attached
    state: str  # unchanged, changed or missing


@dataclass(frozen=True)
class Bundle:
    """What a bundle holds of the attached files, in the order of the manifest."""

    files: tuple[BundledFile, ...]

    @property
    def copied(self) -> tuple[BundledFile, ...]:
        """The files the bundle holds a copy of (changed ones included)."""
        return tuple(f for f in self.files if f.state != "missing")

    @property
    def changed(self) -> tuple[BundledFile, ...]:
        """The files whose copy differs from what was recorded."""
        return tuple(f for f in self.files if f.state == "changed")

    @property
    def missing(self) -> tuple[BundledFile, ...]:
        """The files that could not be found."""
        return tuple(f for f in self.files if f.state == "missing")


def bundled_name(attachment_id: int, path: str) -> str:
    """``files/0007.png``: the attachment's number and, when it is plain, the original's suffix.

    Nothing else of the path is kept: ``../x``, control characters or markup in a
    file name never reach the bundle's names.
    """
    suffix = PurePath(path.replace("\\", "/")).suffix
    clean = suffix.lower() if _SUFFIX.fullmatch(suffix) else ""
    return f"{FILES}/{attachment_id:04d}{clean}"


# -- where the bundle's files go: a zip file or a folder ---------------------------


class _Sink(Protocol):
    def put(self, name: str, data: bytes) -> None: ...

    def stream(self, name: str, size: int) -> AbstractContextManager[BinaryIO]: ...


class _ZipSink:
    """Entries of a zip file, each dated by the clock, owner-only when unpacked."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.when = clock.now().timetuple()[:6]

    def _info(self, name: str, *, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=max(self.when, (1980, 1, 1, 0, 0, 0)))
        info.create_system = 3  # Unix, so the mode below is honoured
        info.external_attr = 0o100600 << 16
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        return info

    def put(self, name: str, data: bytes) -> None:
        self.archive.writestr(self._info(name, compress=True), data)

    @contextmanager
    def stream(self, name: str, size: int) -> Iterator[BinaryIO]:
        # Pictures and recordings are compressed already: stored as they are.
        info = self._info(name, compress=False)
        info.file_size = size
        with self.archive.open(info, "w", force_zip64=size >= _ZIP64_FROM) as out:
            yield out  # type: ignore[misc]


class _FolderSink:
    """Files in a folder being built aside: 0600, folders 0700."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, name: str, data: bytes) -> None:
        with self.stream(name, len(data)) as out:
            out.write(data)

    @contextmanager
    def stream(self, name: str, size: int) -> Iterator[BinaryIO]:
        path = self.root.joinpath(*name.split("/"))
        fileio.private_dirs(path.parent)
        handle = fileio.open_new(path)
        try:
            yield handle
        except BaseException:
            handle.close()
            raise
        fileio.sync_close(handle)


# -- building ------------------------------------------------------------------


class _Copier:
    """Copies the evidence files into a sink, hashing each as it goes."""

    def __init__(self, sink: _Sink, masker: Masker | None) -> None:
        self.sink = sink
        self.masker = masker
        self.sums: dict[str, str] = {}

    def put(self, name: str, data: bytes) -> None:
        self.sink.put(name, data)
        self.sums[name] = hashlib.sha256(data).hexdigest()

    def shown(self, path: str) -> str:
        """The path as the manifest shows it: only the masked file name (as the timeline shows it)."""
        if self.masker is None:
            return path
        return self.masker.text(PurePath(path).name)

    def copy(self, source: Source) -> BundledFile:
        from contact_notify.readers.inputs import open_input

        a = source.attachment
        name = bundled_name(a.id, a.path)
        line = BundledFile(
            name="",
            attachment=a.id,
            reach=a.reach_id,
            reach_at=source.reach_at,
            path=self.shown(a.path),
            size=a.size,
            sha256=a.sha256,
            copy_size=None,
            copy_sha256="",
            modified="",
            attached=a.added_at,
            state="missing",
        )
        try:
            handle = open_input(Path(a.path), "evidence file")
        except InputDataError:
            return line  # gone, or no longer a regular file
        with handle:
            info = os.fstat(handle.fileno())
            digest = hashlib.sha256()
            size = 0
            with self.sink.stream(name, info.st_size) as out:
                while chunk := _read(handle, a.path):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
        copied = digest.hexdigest()
        self.sums[name] = copied
        state = "unchanged" if (size, copied) == (a.size, a.sha256) else "changed"
        return replace(
            line,
            name=name,
            copy_size=size,
            copy_sha256=copied,
            modified=_moment(info.st_mtime),
            state=state,
        )


def _read(handle: BinaryIO, path: str) -> bytes:
    try:
        return handle.read(_CHUNK)
    except OSError as exc:
        raise InputDataError(
            _("cannot read the evidence file {path}: {reason}").format(
                path=path, reason=fileio.describe_os_error(exc)
            ),
            hint=_("check that the disk holding it is connected, then make the bundle again"),
        ) from None


def _moment(timestamp: float) -> str:
    """A file's modification time as local ISO 8601 with its offset, to the second."""
    return datetime.fromtimestamp(timestamp, UTC).astimezone().isoformat(timespec="seconds")


def _fill(
    sink: _Sink, evidence: Evidence, sources: Sequence[Source], masker: Masker | None
) -> Bundle:
    copier = _Copier(sink, masker)
    for kind, name in TIMELINE.items():
        copier.put(name, RENDERERS[kind](evidence).encode("utf-8"))
    lines = []
    for source in sources:
        lines.append(copier.copy(source))
        faults.point("bundle:copying")
    bundle = Bundle(tuple(lines))
    copier.put(MANIFEST_CSV, manifest_csv(bundle).encode("utf-8"))
    copier.put(MANIFEST_JSON, manifest_json(bundle, masked=masker is not None).encode("utf-8"))
    copier.put(README, readme(bundle, masked=masker is not None).encode("utf-8-sig"))
    sink.put(SUMS, "".join(f"{copier.sums[n]}  {n}\n" for n in sorted(copier.sums)).encode())
    return bundle


def write(
    out: Path,
    evidence: Evidence,
    sources: Sequence[Source],
    *,
    folder: bool,
    masker: Masker | None = None,
    force: bool = False,
) -> Bundle:
    """Write the bundle at ``out``: a zip file, or a folder with ``folder``; whole or not at all.

    ``evidence`` is the timeline as it should appear (masked already when
    ``masker`` is given); ``masker`` also hides the manifest's paths.  An
    existing ``out`` is replaced only with ``force`` (a folder only when it
    holds a bundle or nothing).
    """
    if folder:
        _check_folder(out, force)
    else:
        fileio.refuse_existing(out, force)
    _sweep(out)
    if folder:
        with fileio.folder_aside(out, force=force) as root:
            return _fill(_FolderSink(root), evidence, sources, masker)
    with (
        fileio.atomic_stream(out, force=force) as handle,
        zipfile.ZipFile(handle, "w", allowZip64=True) as archive,
    ):
        return _fill(_ZipSink(archive), evidence, sources, masker)


def _check_folder(out: Path, force: bool) -> None:
    """A folder bundle may go at ``out``: nothing there, an empty folder, or (force) a bundle."""
    if (out.exists() or out.is_symlink()) and (not out.is_dir() or out.is_symlink()):
        raise OutputError(
            _("{path} is a file, not a folder").format(path=out),
            hint=_("give a new folder for the bundle, or a name ending in .zip"),
        )
    if not out.is_dir() or not any(out.iterdir()):
        return
    fileio.refuse_existing(out, force)
    if not ((out / README).is_file() and (out / MANIFEST_CSV).is_file()):
        raise OutputError(
            _(
                "{path} is a folder that does not hold an evidence bundle; nothing was written"
            ).format(path=out),
            hint=_("give a new or empty folder: --force replaces only an earlier bundle"),
        )


def _sweep(out: Path) -> None:
    """Remove what a killed bundle to ``out`` left aside (hidden, named by fileio.staging_for)."""
    prefix = f".{out.name}."
    try:
        found = [p for p in out.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return
    for path in found:
        if not _LEFTOVER.fullmatch(path.name[len(prefix) :]):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


# -- the manifest and the README ---------------------------------------------------

MANIFEST_COLUMNS = (
    N_("file in the bundle"),
    N_("reach record"),
    N_("reach time"),
    N_("original path"),
    N_("size recorded (bytes)"),
    N_("SHA-256 recorded"),
    N_("size of the copy (bytes)"),
    N_("SHA-256 of the copy"),
    N_("modified"),
    N_("attached"),
    N_("state"),
)


def _when(at: str) -> str:
    return at[:19].replace("T", " ")


def manifest_rows(bundle: Bundle) -> list[tuple[str, ...]]:
    """The manifest's rows, in the interface language, without the header."""
    return [
        (
            f.name,
            str(f.reach),
            _when(f.reach_at),
            f.path,
            str(f.size),
            f.sha256,
            "" if f.copy_size is None else str(f.copy_size),
            f.copy_sha256,
            _when(f.modified),
            _when(f.attached),
            _(STATES[f.state]),
        )
        for f in bundle.files
    ]


def manifest_csv(bundle: Bundle) -> str:
    """The manifest as CSV with a BOM (Excel and WPS read it as UTF-8), formula-safe."""
    return write_csv([tuple(_(c) for c in MANIFEST_COLUMNS), *manifest_rows(bundle)], bom=True)


def manifest_json(bundle: Bundle, *, masked: bool) -> str:
    """The manifest for programs: English keys, the states as words (unchanged, changed, missing)."""
    document = {
        "made": clock.stamp(),
        "masked": masked,
        "files": [asdict(f) for f in bundle.files],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def readme(bundle: Bundle, *, masked: bool) -> str:
    """The README: what the bundle holds, how to check it, and what masking did (CR LF lines)."""
    example = bundle.copied[0].name if bundle.copied else f"{FILES}/0001.png"
    paragraphs = [
        _("Evidence bundle: debt collectors contacting my contacts"),
        _("Made by contact-notify on {date}.").format(date=clock.now().strftime("%Y-%m-%d %H:%M")),
        "\n".join(
            [
                _("What is in it:"),
                _("- timeline.html: the timeline and summary, to open in a web browser"),
                _("- timeline.md, timeline.csv: the same timeline as text and as a table"),
                _(
                    "- files/: a copy of every evidence file attached to a reach record, "
                    "named by the attachment's number"
                ),
                _(
                    "- manifest.csv, manifest.json: for each evidence file, its name here, its "
                    "reach record, where it was, its size and SHA-256 when attached and of the "
                    "copy, when it was last modified, and its state"
                ),
                _("- SHA256SUMS: the SHA-256 of every other file in this bundle"),
            ]
        ),
        _(
            "Evidence files: {copied} copied, {changed} changed since they were attached, "
            "{missing} missing."
        ).format(
            copied=len(bundle.copied), changed=len(bundle.changed), missing=len(bundle.missing)
        ),
    ]
    if bundle.changed:
        paragraphs.append(
            _(
                'Warning: {count} file(s) changed after they were attached (state "changed" in '
                "the manifest). Their copies here are the files as they are now: they do not "
                "match the SHA-256 recorded when they were attached, and the manifest shows both."
            ).format(count=len(bundle.changed))
        )
    if bundle.missing:
        paragraphs.append(
            _(
                '{count} file(s) could not be found: the manifest lists them as "missing", '
                "without a copy."
            ).format(count=len(bundle.missing))
        )
    paragraphs.append(
        "\n".join(
            [
                _(
                    "How to check a file: compute its SHA-256 and compare it with the manifest "
                    '("SHA-256 recorded" is the file as it was attached).'
                ),
                _("- Windows: certutil -hashfile {windows} SHA256").format(
                    windows=example.replace("/", "\\")
                ),
                _("- macOS: shasum -a 256 {name}").format(name=example),
                _("- Linux: sha256sum {name}").format(name=example),
                _("To check every file at once (macOS, Linux): shasum -a 256 -c SHA256SUMS"),
            ]
        )
    )
    if masked:
        paragraphs.append(
            _(
                "Masked: in the timeline and the manifest, contacts' numbers are hidden and "
                "their names shortened, and the manifest shows only each file's name, not its "
                "folder. The evidence files are copied as they are: screenshots and recordings "
                "may still show numbers and names. Look at them before you share this bundle."
            )
        )
    else:
        paragraphs.append(
            _(
                "Not masked: this bundle shows your contacts' names and numbers. Give it only "
                "to whoever handles your complaint."
            )
        )
    text = "\n\n".join(paragraphs) + "\n"
    return text.replace("\n", "\r\n")
