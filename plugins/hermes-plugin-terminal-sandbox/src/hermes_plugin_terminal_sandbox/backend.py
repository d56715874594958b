"""The ``sandbox`` terminal backend: the local backend's shell inside bubblewrap."""

from __future__ import annotations

import shutil
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from hermes_core import TerminalSettings
from hermes_core.shell import shell_argv
from hermes_plugin_terminal_local.backend import LocalBackend, session_folder_name
from hermes_plugin_terminal_local.pipeshell import PipeShell
from hermes_plugin_terminal_local.procs import host_pid

from .bwrap import bwrap_args, existing
from .config import SandboxTerminalConfig


class SandboxBackend(LocalBackend):
    """A persistent bash per session inside bubblewrap.

    Everything but where the shell runs comes from :class:`LocalBackend`. The sandbox sees
    the host read-only (credential folders and ``$HERMES_HOME`` hidden), has private
    ``/tmp``, ``/dev`` and ``/proc``, its own pid namespace and no network, and can write
    only to its work folder (and the project folder when ``writable_cwd`` is set). Pids
    the shell reports are inside its pid namespace and are mapped to this machine's.
    """

    name = "sandbox"

    def __init__(self, settings: TerminalSettings, config: SandboxTerminalConfig | None = None) -> None:
        config = config if config is not None else SandboxTerminalConfig.model_validate(settings.options)
        super().__init__(settings, config)
        self.sandbox_config = config
        self._keeper: _Keeper | None = None

    @property
    def work_dir(self) -> Path:
        """The writable folder the shell starts in."""
        if self.sandbox_config.work_dir:
            return Path(self.sandbox_config.work_dir).expanduser().absolute()
        return Path(self.settings.hermes_home).absolute() / "sandbox" / session_folder_name(self.settings.session_id)

    def _project_dir(self) -> str | None:
        cwd = self.settings.cwd
        return str(Path(cwd).absolute()) if cwd is not None and Path(cwd).is_dir() else None

    def initial_cwd(self) -> str:
        project = self._project_dir()
        if self.sandbox_config.writable_cwd and project:
            return project
        self.work_dir.mkdir(parents=True, exist_ok=True)
        return str(self.work_dir)

    def shell_command(self, cwd: str) -> Sequence[str]:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.processes_dir.mkdir(parents=True, exist_ok=True)
        writable = [str(self.work_dir), str(self.processes_dir.absolute())]
        readable = []
        project = self._project_dir()
        if project and self.sandbox_config.writable_cwd:
            writable.append(project)
        elif project:
            readable.append(project)
        writable += existing(self.sandbox_config.extra_writable)
        hidden = existing([str(self.settings.hermes_home), *self.sandbox_config.hide_paths])
        shell = shutil.which(self.config.shell) or self.config.shell
        bwrap = shutil.which(self.sandbox_config.bwrap) or self.sandbox_config.bwrap
        return bwrap_args(bwrap, shell_argv(shell), writable=existing(writable), hidden=hidden, readable=readable,
                          chdir=cwd, home=str(self.work_dir), network=self.sandbox_config.network)

    def host_pid(self, reported: int, shell: PipeShell) -> int | None:
        return host_pid(reported, shell.pid)

    def spawn_shell(self, argv: Sequence[str], *, env: dict[str, str], cwd: str) -> PipeShell:
        # --die-with-parent kills bwrap when the *thread* that started it ends (the
        # kernel's parent-death signal is per thread), and tools run in short-lived worker
        # threads: so bwrap is started from a thread that lives as long as this backend.
        if self._keeper is None:
            self._keeper = _Keeper(f"hermes-sandbox-{self.settings.session_id}")
        return self._keeper.call(lambda: super(SandboxBackend, self).spawn_shell(argv, env=env, cwd=cwd))

    def close(self) -> None:
        super().close()
        if self._keeper is not None:
            self._keeper.stop()
        if self.sandbox_config.clean_work_dir and not self.sandbox_config.work_dir:
            shutil.rmtree(self.work_dir, ignore_errors=True)


class _Keeper:
    """A thread that runs what it is given, one at a time, until stopped."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            fn, future = job
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the caller, who re-raises it
                future.set_exception(exc)

    def call(self, fn: Callable[[], Any]) -> Any:
        future: Future[Any] = Future()
        self._jobs.put((fn, future))
        return future.result()

    def stop(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=5)
