"""A fake of Modal's API on 127.0.0.1, for tests on machines that cannot reach Modal.

The modal SDK speaks gRPC (HTTP/2) to Modal's control API and, for a sandbox's execs, to
a task command router on the worker. This fake serves both gRPC services on one loopback
port with the messages from the SDK's own ``modal_proto`` package, implementing the calls
this plugin makes: look up an app, build an image, create a sandbox, give its task id and
router access, start execs with stdin, streamed stdout/stderr and exit codes, and
terminate the sandbox. Every other call answers UNIMPLEMENTED. Every call is recorded in
``calls``; requests must carry the configured token id.

It is a fake, not a sandbox: execs run on this machine as the current user, each sandbox
starting in its own temporary folder. It checks the plugin's use of the SDK, not Modal.

Point the SDK at it with ``fake.environment()`` (``MODAL_SERVER_URL`` and a token).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass
class _Exec:
    process: subprocess.Popen[bytes]
    merge_stderr: bool
    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    stdin_offset: int = 0
    open_streams: int = 2
    changed: asyncio.Event | None = None


@dataclass
class _Sandbox:
    id: str
    task_id: str
    root: str
    definition: Any
    env: dict[str, str] = field(default_factory=dict)
    terminated: bool = False
    execs: dict[str, _Exec] = field(default_factory=dict)


class FakeModal:
    """The fake server: ``with FakeModal() as fake: os.environ.update(fake.environment())``."""

    def __init__(self, token_id: str = "ak-hermes-test", token_secret: str = "as-hermes-test") -> None:
        self.token_id = token_id
        self.token_secret = token_secret
        self.calls: list[tuple[str, Any]] = []
        self.sandboxes: dict[str, _Sandbox] = {}
        self.apps: dict[str, str] = {}
        self._ids = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: Any = None
        self._transports: set[Any] = set()
        self.port = 0

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> FakeModal:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    async def _start(self) -> None:
        from grpclib.server import Server
        from modal_proto import api_grpc, task_command_router_grpc

        transports = self._transports

        class TrackingServer(Server):
            # grpclib leaves idle client connections open at close; keep their transports
            # so close() can end them (an unclosed socket is a ResourceWarning).
            def _protocol_factory(self):  # type: ignore[no-untyped-def]
                protocol = super()._protocol_factory()
                made = protocol.connection_made

                def connection_made(transport: Any) -> None:
                    transports.add(transport)
                    made(transport)

                protocol.connection_made = connection_made  # type: ignore[method-assign]
                return protocol

        self._server = TrackingServer([_servicer(api_grpc.ModalClientBase, self, _API),
                                       _servicer(task_command_router_grpc.TaskCommandRouterBase, self, _ROUTER)])
        await self._server.start("127.0.0.1", 0)
        self.port = self._server._server.sockets[0].getsockname()[1]

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for sandbox in list(self.sandboxes.values()):
            self._terminate(sandbox)

        async def stop() -> None:
            self._server.close()
            for transport in self._transports:
                transport.close()
            await self._server.wait_closed()
            await asyncio.sleep(0)  # let the transports finish closing

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        """The variables that point the modal SDK at this fake."""
        return {"MODAL_SERVER_URL": self.url, "MODAL_TOKEN_ID": self.token_id,
                "MODAL_TOKEN_SECRET": self.token_secret}

    def live_sandboxes(self) -> list[_Sandbox]:
        return [s for s in self.sandboxes.values() if not s.terminated]

    def call_names(self) -> list[str]:
        return [name for name, _ in self.calls]

    # -- behaviour ------------------------------------------------------------------------

    def _terminate(self, sandbox: _Sandbox) -> None:
        # Like a container ending: every process of every exec goes, including those
        # whose exec (their process group's leader) has already exited.
        for record in sandbox.execs.values():
            try:
                os.killpg(record.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            record.process.wait()
        sandbox.terminated = True
        shutil.rmtree(sandbox.root, ignore_errors=True)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}{uuid.uuid4().hex[:10]}"


def _servicer(base: type, fake: FakeModal, table: dict[str, Any]) -> Any:
    """An instance of the generated servicer base with every method defined: ours from
    ``table``, UNIMPLEMENTED for the rest."""
    from grpclib.const import Status
    from grpclib.exceptions import GRPCError

    def method(name: str) -> Any:
        async def handle(self: Any, stream: Any) -> None:
            request = await stream.recv_message()
            fake.calls.append((name, request))
            metadata = dict(stream.metadata or {})
            if metadata.get("x-modal-token-id", fake.token_id) != fake.token_id:
                raise GRPCError(Status.UNAUTHENTICATED, "Token ID is invalid")
            implementation = table.get(name)
            if implementation is None:
                raise GRPCError(Status.UNIMPLEMENTED, f"the fake Modal API does not implement {name}")
            await implementation(fake, stream, request)

        return handle

    namespace = {name: method(name) for name in base.__abstractmethods__}
    return type(f"Fake{base.__name__}", (base,), namespace)()


# -- the control API -----------------------------------------------------------------------


async def _client_hello(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import api_pb2

    await stream.send_message(api_pb2.ClientHelloResponse())


async def _auth_token_get(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import api_pb2

    await stream.send_message(api_pb2.AuthTokenGetResponse(token=_jwt()))


async def _app_get_or_create(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import api_pb2

    app_id = fake.apps.setdefault(request.app_name, fake._new_id("ap"))
    await stream.send_message(api_pb2.AppGetOrCreateResponse(app_id=app_id))


async def _environment_get_or_create(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal._image import LATEST_IMAGE_BUILDER_VERSION
    from modal_proto import api_pb2

    settings = api_pb2.EnvironmentSettings(image_builder_version=LATEST_IMAGE_BUILDER_VERSION)
    metadata = api_pb2.EnvironmentMetadata(name=request.deployment_name or "main", settings=settings)
    await stream.send_message(api_pb2.EnvironmentGetOrCreateResponse(environment_id="en-fake", metadata=metadata))


async def _image_get_or_create(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import api_pb2

    result = api_pb2.GenericResult(status=api_pb2.GenericResult.GENERIC_STATUS_SUCCESS)
    await stream.send_message(api_pb2.ImageGetOrCreateResponse(image_id=fake._new_id("im"), result=result))


async def _image_join_streaming(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import api_pb2

    result = api_pb2.GenericResult(status=api_pb2.GenericResult.GENERIC_STATUS_SUCCESS)
    await stream.send_message(api_pb2.ImageJoinStreamingResponse(result=result, eof=True))


async def _sandbox_create(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import api_pb2

    sandbox = _Sandbox(id=fake._new_id("sb"), task_id=fake._new_id("ta"),
                       root=tempfile.mkdtemp(prefix="fake-modal-"), definition=request.definition)
    fake.sandboxes[sandbox.id] = sandbox
    await stream.send_message(api_pb2.SandboxCreateResponse(sandbox_id=sandbox.id))


def _sandbox_of(fake: FakeModal, sandbox_id: str) -> _Sandbox:
    from grpclib.const import Status
    from grpclib.exceptions import GRPCError

    sandbox = fake.sandboxes.get(sandbox_id)
    if sandbox is None:
        raise GRPCError(Status.NOT_FOUND, f"sandbox {sandbox_id} not found")
    return sandbox


async def _sandbox_create_v2(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import api_pb2

    # Environment variables arrive as inline secret sources.
    env = {k: v for source in request.secret_sources if source.HasField("env")
           for k, v in _string_map(source.env).items()}
    sandbox = _Sandbox(id=fake._new_id("sb"), task_id=fake._new_id("ta"),
                       root=tempfile.mkdtemp(prefix="fake-modal-"), definition=request.definition, env=env)
    fake.sandboxes[sandbox.id] = sandbox
    access = api_pb2.CommandRouterAccess(jwt=_jwt(), url=fake.url)
    await stream.send_message(api_pb2.SandboxCreateV2Response(
        sandbox_id=sandbox.id, task_id=sandbox.task_id, command_router_access=access))


async def _sandbox_get_task_id(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import api_pb2

    sandbox = _sandbox_of(fake, request.sandbox_id)
    await stream.send_message(api_pb2.SandboxGetTaskIdResponse(task_id=sandbox.task_id))


async def _sandbox_router_access(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import api_pb2

    _sandbox_of(fake, request.sandbox_id)
    await stream.send_message(api_pb2.SandboxGetCommandRouterAccessResponse(jwt=_jwt(), url=fake.url))


async def _sandbox_terminate(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import api_pb2

    fake._terminate(_sandbox_of(fake, request.sandbox_id))
    await stream.send_message(api_pb2.SandboxTerminateResponse())


def _jwt() -> str:
    """An unsigned token with a far expiry: the SDK reads ``exp`` to know when to refresh."""
    import base64
    import json

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part({'exp': 4102444800})}.sig"


_API = {
    "ClientHello": _client_hello,
    "AuthTokenGet": _auth_token_get,
    "AppGetOrCreate": _app_get_or_create,
    "EnvironmentGetOrCreate": _environment_get_or_create,
    "ImageGetOrCreate": _image_get_or_create,
    "ImageJoinStreaming": _image_join_streaming,
    "SandboxCreate": _sandbox_create,
    "SandboxGetTaskId": _sandbox_get_task_id,
    "SandboxGetCommandRouterAccess": _sandbox_router_access,
    "SandboxTerminate": _sandbox_terminate,
    "SandboxCreateV2": _sandbox_create_v2,
    "SandboxTerminateV2": _sandbox_terminate,
}


# -- the task command router -----------------------------------------------------------------


def _task(fake: FakeModal, task_id: str) -> _Sandbox:
    from grpclib.const import Status
    from grpclib.exceptions import GRPCError

    for sandbox in fake.sandboxes.values():
        if sandbox.task_id == task_id and not sandbox.terminated:
            return sandbox
    raise GRPCError(Status.NOT_FOUND, f"task {task_id} not found")


def _exec_of(fake: FakeModal, task_id: str, exec_id: str) -> _Exec:
    from grpclib.const import Status
    from grpclib.exceptions import GRPCError

    record = _task(fake, task_id).execs.get(exec_id)
    if record is None:
        raise GRPCError(Status.NOT_FOUND, f"exec {exec_id} not found")
    return record


async def _exec_start(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import task_command_router_pb2 as pb

    sandbox = _task(fake, request.task_id)
    merge = request.stderr_config == pb.TASK_EXEC_STDERR_CONFIG_STDOUT
    env = {**os.environ, **_string_map(sandbox.definition.environment_variables), **sandbox.env,
           **{entry.key: entry.value for entry in request.env}}
    process = subprocess.Popen(
        list(request.command_args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge else subprocess.PIPE, cwd=request.workdir or sandbox.root, env=env,
        start_new_session=True,
    )
    record = _Exec(process=process, merge_stderr=merge, open_streams=1 if merge else 2, changed=asyncio.Event())
    sandbox.execs[request.exec_id] = record
    loop = asyncio.get_running_loop()
    for pipe, buffer in ((process.stdout, record.stdout), (process.stderr, record.stderr)):
        if pipe is not None:
            threading.Thread(target=_pump, args=(loop, record, pipe, buffer), daemon=True).start()
    await stream.send_message(pb.TaskExecStartResponse())


def _string_map(message: Any) -> dict[str, str]:
    """A proto ``StringMap`` (an absent one is empty) as a dict."""
    return dict(message.contents)


def _pump(loop: asyncio.AbstractEventLoop, record: _Exec, pipe: Any, buffer: bytearray) -> None:
    assert record.changed is not None
    while chunk := os.read(pipe.fileno(), 65536):
        loop.call_soon_threadsafe(_append, record, buffer, chunk)
    pipe.close()
    loop.call_soon_threadsafe(_closed, record)


def _append(record: _Exec, buffer: bytearray, chunk: bytes) -> None:
    buffer += chunk
    assert record.changed is not None
    record.changed.set()


def _closed(record: _Exec) -> None:
    record.open_streams -= 1
    assert record.changed is not None
    record.changed.set()


async def _exec_stdio_read(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import task_command_router_pb2 as pb

    record = _exec_of(fake, request.task_id, request.exec_id)
    buffer = record.stderr if request.file_descriptor == pb.TASK_EXEC_STDIO_FILE_DESCRIPTOR_STDERR else record.stdout
    offset = request.offset
    assert record.changed is not None
    while True:
        if len(buffer) > offset:
            chunk = bytes(buffer[offset:offset + 65536])
            offset += len(chunk)
            await stream.send_message(pb.TaskExecStdioReadResponse(data=chunk))
            continue
        if record.open_streams <= 0:
            return  # end of output
        record.changed.clear()
        await record.changed.wait()


async def _exec_stdin_write(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import task_command_router_pb2 as pb

    record = _exec_of(fake, request.task_id, request.exec_id)
    stdin = record.process.stdin
    # Writes are idempotent by offset: a retried write sends bytes we already have.
    fresh = request.data[max(0, record.stdin_offset - request.offset):]
    if stdin is not None and not stdin.closed:
        try:
            if fresh:
                stdin.write(fresh)
                stdin.flush()
            if request.eof:
                stdin.close()
        except (BrokenPipeError, ValueError):
            pass
    record.stdin_offset = max(record.stdin_offset, request.offset + len(request.data))
    await stream.send_message(pb.TaskExecStdinWriteResponse())


def _exit_fields(process: subprocess.Popen[bytes]) -> dict[str, int]:
    code = process.returncode
    return {"signal": -code} if code is not None and code < 0 else {"code": code or 0}


async def _exec_wait(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import task_command_router_pb2 as pb

    record = _exec_of(fake, request.task_id, request.exec_id)
    while record.process.poll() is None:
        await asyncio.sleep(0.02)
    await stream.send_message(pb.TaskExecWaitResponse(**_exit_fields(record.process)))


async def _exec_poll(fake: FakeModal, stream: Any, request: Any) -> None:
    from modal_proto import task_command_router_pb2 as pb

    record = _exec_of(fake, request.task_id, request.exec_id)
    if record.process.poll() is None:
        await stream.send_message(pb.TaskExecPollResponse())
    else:
        await stream.send_message(pb.TaskExecPollResponse(**_exit_fields(record.process)))


_ROUTER = {
    "TaskExecStart": _exec_start,
    "TaskExecStdioRead": _exec_stdio_read,
    "TaskExecStdinWrite": _exec_stdin_write,
    "TaskExecWait": _exec_wait,
    "TaskExecPoll": _exec_poll,
}
