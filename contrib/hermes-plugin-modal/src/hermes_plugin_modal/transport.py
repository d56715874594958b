"""The shell's transport: ``Sandbox.exec`` processes in one Modal sandbox per session.

The persistent bash is one exec with stdin open; its output (stderr joined to stdout at the
source, so the order is kept) is read by a thread into a queue that the shell driver polls
with a timeout. Side scripts are short execs of ``sh -c``. The sandbox is created on first
use with a maximum lifetime, so Modal ends it even if hermes crashes, and terminated at close.
"""

from __future__ import annotations

import os
import queue
import threading
from typing import Any

from hermes_core import HermesError
from hermes_core.shell_driver import ShellGone, SideResult

from .config import ModalOptions

# Join the shell's own stderr to its stdout inside the sandbox: one ordered stream.
_MERGE = ["sh", "-c", 'exec "$@" 2>&1', "sh"]


class ModalBackendError(HermesError):
    """Modal refused or failed; the message says what to check."""


class ExecStream:
    """A running sandbox exec as a shell stream."""

    def __init__(self, process: Any) -> None:
        self._process = process
        self._chunks: queue.Queue[bytes | None] = queue.Queue()
        self._closed = False
        self._eof = False
        self._reader = threading.Thread(target=self._read, daemon=True, name="modal-exec-reader")
        self._reader.start()

    def _read(self) -> None:
        try:
            for chunk in self._process.stdout:
                if chunk:
                    self._chunks.put(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8", "surrogateescape"))
        except Exception:  # the sandbox went away mid-read: that is the end of the stream
            pass
        finally:
            self._chunks.put(None)

    def send(self, data: bytes) -> None:
        if self._closed or self._eof:
            raise ShellGone("the Modal exec has ended")
        try:
            self._process.stdin.write(data)
            self._process.stdin.drain()
        except Exception as exc:
            raise ShellGone(f"cannot write to the Modal shell: {exc}") from exc

    def recv(self, timeout: float) -> bytes | None:
        if self._eof:
            return None
        try:
            chunk = self._chunks.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return b""
        if chunk is None:
            self._eof = True
        return chunk

    def exit_status(self) -> int | None:
        try:
            return self._process.poll()
        except Exception:
            return None

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._process.stdin.write_eof()
            self._process.stdin.drain()
        except Exception:  # already gone
            pass


class ModalTransport:
    """The session's sandbox (created on first use) and execs inside it."""

    def __init__(self, options: ModalOptions, *, session_id: str) -> None:
        self.options = options
        self._session_id = session_id
        self._client: Any = None
        self.sandbox: Any = None
        self._lock = threading.Lock()
        self._closed = False

    @staticmethod
    def _secret(name: str) -> str | None:
        # The CLI copies ~/.hermes/.env into the environment, so secrets kept there count.
        return os.environ.get(name) or None

    def _sandbox(self) -> Any:
        with self._lock:
            if self._closed:
                raise ShellGone("this modal terminal is closed")
            if self.sandbox is None:
                self.sandbox = self._create()
            return self.sandbox

    def _create(self) -> Any:
        try:
            import modal
        except ImportError as exc:  # pragma: no cover - the dependency is declared
            from hermes_core import MissingDependency

            raise MissingDependency("modal", plugin="modal") from exc
        options = self.options
        token_id, token_secret = self._secret(options.token_id_env), self._secret(options.token_secret_env)
        try:
            if token_id and token_secret:
                self._client = modal.Client.from_credentials(token_id, token_secret)
            else:
                self._client = modal.Client.from_env()  # ~/.modal.toml
            app = modal.App.lookup(options.app_name, create_if_missing=True, client=self._client)
            image = modal.Image.from_registry(options.image) if options.image else modal.Image.debian_slim()
            return modal.Sandbox.create(
                app=app, image=image, client=self._client, timeout=options.max_lifetime,
                idle_timeout=options.idle_timeout, workdir=options.workdir, cpu=options.cpu, memory=options.memory,
                block_network=options.block_network, region=options.region, env=dict(options.env) or None,
                tags={"hermes.terminal": "modal", "hermes.session": self._session_id[:60]},
            )
        except HermesError:
            raise
        except Exception as exc:  # modal's AuthError, NotFoundError, connection errors, ...
            self._close_client()
            raise ModalBackendError(
                f"cannot create a Modal sandbox: {exc}; check {options.token_id_env}/{options.token_secret_env} "
                f"(or `modal token new`) and terminal.modal.image"
            ) from exc

    def open_shell(self, argv: list[str]) -> ExecStream:
        import modal

        sandbox = self._sandbox()
        try:
            process = sandbox.exec(*_MERGE, *argv, stdout=modal.stream_type.StreamType.PIPE,
                                   stderr=modal.stream_type.StreamType.DEVNULL, text=False)
        except Exception as exc:
            raise ShellGone(f"cannot start a shell in the Modal sandbox: {exc}") from exc
        return ExecStream(process)

    def run_side(self, script: str, *, timeout: float) -> SideResult:
        sandbox = self._sandbox()
        try:
            process = sandbox.exec(*_MERGE, "sh", "-c", script, timeout=max(1, int(timeout)), text=False)
            output = process.stdout.read()
            code = process.wait()
        except Exception as exc:
            raise ShellGone(f"Modal exec failed: {exc}") from exc
        text = output.decode("utf-8", "replace") if isinstance(output, bytes) else str(output)
        return SideResult(output=text, exit_code=code)

    def _close_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def close(self) -> None:
        """Terminate the sandbox (ending every process the session ran)."""
        with self._lock:
            self._closed = True
            sandbox, self.sandbox = self.sandbox, None
        try:
            if sandbox is not None:
                sandbox.terminate()
        except Exception as exc:
            raise ModalBackendError(f"could not terminate Modal sandbox {sandbox.object_id}: {exc}") from exc
        finally:
            self._close_client()
