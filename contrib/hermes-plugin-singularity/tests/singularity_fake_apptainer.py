"""A stand-in for the ``apptainer`` program, for tests on machines without Apptainer.

It implements the command-line contract the plugin uses (``version``, ``instance start``,
``instance list --json``, ``instance stop``, ``exec instance://NAME``) and records every call
in ``calls.jsonl`` next to itself. It does NOT isolate anything: ``exec`` runs the command
directly on this machine (in the instance's recorded start folder). Instances are JSON files
in ``instances/`` next to this script, each with a keeper process that stands for the
instance's init.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATE = HERE / "instances"

START_FLAGS_WITH_VALUE = {"--bind", "-B", "--network", "--pwd", "--env", "--home", "--overlay"}


def record(argv):
    with (HERE / "calls.jsonl").open("a") as handle:
        handle.write(json.dumps(argv) + "\n")


def fail(message, code=255):
    print(f"FATAL:   {message}", file=sys.stderr)
    sys.exit(code)


def split_flags(args):
    flags, rest = [], list(args)
    while rest and rest[0].startswith("-"):
        flag = rest.pop(0)
        flags.append(flag)
        if flag in START_FLAGS_WITH_VALUE and rest:
            flags.append(rest.pop(0))
    return flags, rest


def instance_file(name):
    return STATE / f"{name}.json"


def instance_start(args):
    flags, rest = split_flags(args)
    if len(rest) < 2:
        fail("instance start needs an image and a name")
    image, name = rest[0], rest[1]
    if "://" not in image and not Path(image).exists():
        fail(f"could not open image {image}: no such file or directory")
    STATE.mkdir(exist_ok=True)
    if instance_file(name).exists():
        fail(f"instance {name} already exists")
    keeper = subprocess.Popen([sys.executable, "-c", "import time\nwhile True: time.sleep(3600)"],
                              start_new_session=True, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    instance_file(name).write_text(json.dumps({"instance": name, "pid": keeper.pid, "img": image, "flags": flags}))
    print(f"INFO:    instance started successfully", file=sys.stderr)


def instance_list(args):
    items = []
    for path in sorted(STATE.glob("*.json")) if STATE.exists() else []:
        data = json.loads(path.read_text())
        items.append({"instance": data["instance"], "pid": data["pid"], "img": data["img"], "ip": "",
                      "logErrPath": "", "logOutPath": ""})
    if "--json" in args or "-j" in args:
        print(json.dumps({"instances": items}, indent=4))
    else:
        print("INSTANCE NAME    PID      IP    IMAGE")
        for item in items:
            print(f"{item['instance']}    {item['pid']}    {item['img']}")


def instance_stop(args):
    _, rest = split_flags(args)
    if not rest:
        fail("instance stop needs a name")
    path = instance_file(rest[0])
    if not path.exists():
        fail(f"no instance found with name {rest[0]}")
    data = json.loads(path.read_text())
    try:
        os.kill(data["pid"], signal.SIGKILL)
    except ProcessLookupError:
        pass
    path.unlink()
    print(f"INFO:    Stopping {rest[0]} instance of {data['img']} (PID={data['pid']})", file=sys.stderr)


def exec_(args):
    flags, rest = split_flags(args)
    if not rest or not rest[0].startswith("instance://"):
        fail("this fake only runs commands in instances (instance://NAME)")
    name = rest[0][len("instance://"):]
    if not instance_file(name).exists():
        fail(f"no instance found with name {name}")
    command = rest[1:]
    if not command:
        fail("exec needs a command")
    for i, flag in enumerate(flags):
        if flag == "--pwd":
            os.chdir(flags[i + 1])
    os.execvp(command[0], command)


def main(argv):
    record(argv)
    if not argv:
        fail("no command")
    if argv[0] == "version":
        print("1.3.4-fake")
    elif argv[0] == "instance" and len(argv) > 1:
        {"start": instance_start, "list": instance_list, "stop": instance_stop}.get(
            argv[1], lambda a: fail(f"unknown instance command {argv[1]}"))(argv[2:])
    elif argv[0] == "exec":
        exec_(argv[1:])
    else:
        fail(f"the fake apptainer does not implement {argv[0]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
