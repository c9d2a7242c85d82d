"""A client for ``pagefind --service``: Pagefind indexing pages handed to it, in memory.

The protocol is the one Pagefind's own Python and Node packages speak: each message is
base64 of a JSON object, followed by a comma, on the process's stdin; answers come the same way
on its stdout, in the order of the requests (the service handles one at a time). The official
Python package waits 0.1 s between reading answers, a tenth of a second per page; this client
sends the pages of an index from a thread while it reads the answers as they come.

Files are fetched with ``GetFiles``, never written by ``WriteFiles``: that one can answer
before its files are complete.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

READ_SIZE = 1 << 20


class PagefindError(Exception):
    """Pagefind refused a request or stopped."""


class PagefindService:
    """One ``pagefind --service`` process; use as a context manager."""

    def __init__(self, executable: Path) -> None:
        self.errors: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.process = subprocess.Popen(
            [str(executable), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
        )
        self.last_id = 0
        self.pending = b""
        self.peak_mib = 0.0  # the process's largest resident set, as of the last GetFiles

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def new_index(self, config: dict[str, Any]) -> int:
        answer = self.call({"type": "NewIndex", "config": config})
        return int(answer["index_id"])

    def add_files(self, index: int, pages: Sequence[tuple[str, str | bytes]]) -> int:
        """Index the pages, (file path relative to the site, HTML) each, in this order;
        returns how many were added. The page's URL is derived from its path. HTML given as
        bytes is UTF-8, decoded a page at a time as it is sent."""
        failure: list[BaseException] = []
        first = self.last_id + 1
        self.last_id += len(pages)
        writer = threading.Thread(
            target=self._send_all, args=(index, pages, first, failure), daemon=True
        )
        writer.start()
        try:
            for expected in range(first, first + len(pages)):
                self._answer(expected)
        finally:
            writer.join()
        if failure:
            raise PagefindError(f"could not send pages to Pagefind: {failure[0]}")
        return len(pages)

    def get_files(self, index: int) -> dict[str, bytes]:
        """Build the index; every file of its bundle, path → bytes (each file's base64 let go
        of as it is decoded: the answer is some 3 MB for 1,000 pages)."""
        answer = self.call({"type": "GetFiles", "index_id": index})
        self.peak_mib = max(self.peak_mib, self.resident_peak_mib())
        return {item["path"]: base64.b64decode(item.pop("content")) for item in answer["files"]}

    def delete_index(self, index: int) -> None:
        self.call({"type": "DeleteIndex", "index_id": index})

    def call(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.last_id += 1
        try:
            self._write(self._message(self.last_id, payload))
            self._flush()
        except OSError:
            raise PagefindError(f"Pagefind stopped: {self._last_error()}") from None
        return self._answer(self.last_id)

    def resident_peak_mib(self) -> float:
        """The service's high-water mark of resident memory (Linux; 0 elsewhere)."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0.0
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def close(self) -> None:
        """End the service (it exits when its input ends) and wait for it."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.errors.close()

    # The wire --------------------------------------------------------------------------------

    @staticmethod
    def _message(number: int, payload: dict[str, Any]) -> bytes:
        text = json.dumps({"message_id": number, "payload": payload}, ensure_ascii=False)
        return base64.b64encode(text.encode("utf-8")) + b","

    def _send_all(
        self,
        index: int,
        pages: Iterable[tuple[str, str | bytes]],
        first: int,
        failure: list[BaseException],
    ) -> None:
        try:
            for number, (path, html) in enumerate(pages, start=first):
                text = html if isinstance(html, str) else html.decode("utf-8")
                request = {"type": "AddFile", "index_id": index, "file_path": path, "url": None,
                           "file_contents": text}  # fmt: skip
                self._write(self._message(number, request))
            self._flush()
        except OSError as error:  # the service died; the reader reports why
            failure.append(error)

    def _write(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)

    def _flush(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.flush()

    def _answer(self, expected: int) -> dict[str, Any]:
        message = json.loads(self._next_message())
        payload: dict[str, Any] = message["payload"]
        if payload.get("type") == "Error":
            raise PagefindError(str(payload.get("message")))
        if message["message_id"] != expected:
            raise PagefindError(f"answer {message['message_id']} where {expected} was due")
        return payload

    def _next_message(self) -> bytes:
        """The next answer's JSON, decoded from base64 straight out of what was read (no copy
        of it: an index's files come as one message of several MB)."""
        assert self.process.stdout is not None
        buffer = bytearray(self.pending)
        searched = 0
        while (end := buffer.find(b",", searched)) < 0:
            searched = len(buffer)
            data = self.process.stdout.read1(READ_SIZE)  # type: ignore[attr-defined]
            if not data:
                raise PagefindError(f"Pagefind stopped: {self._last_error()}")
            buffer += data
        with memoryview(buffer) as read:
            self.pending = bytes(read[end + 1 :])
            return binascii.a2b_base64(read[:end])

    def _last_error(self) -> str:
        self.process.wait(timeout=30)
        self.errors.seek(0)
        lines = self.errors.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"exit status {self.process.returncode}"
