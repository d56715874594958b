"""Rules for containers, clusters and cloud infrastructure: pruning and force-removing
Docker objects, deleting Kubernetes resources, destroying Terraform stacks and cloud
resources."""

from __future__ import annotations

from ._context import RuleContext
from ._options import parse_options
from ._records import Arg, Invocation

_DOCKER_GLOBAL_VALUE = frozenset({"-H", "--host", "-c", "--context", "--config", "-l", "--log-level",
                                  "--tlscacert", "--tlscert", "--tlskey", "--url", "--connection",
                                  "--identity", "--root", "--runroot", "--storage-driver"})
_PRUNE_OBJECTS = {"system": "all unused containers, networks, images and build cache",
                  "image": "unused images", "volume": "unused volumes (and their data)",
                  "container": "all stopped containers", "network": "unused networks",
                  "builder": "the build cache", "buildx": "the build cache"}


def docker_command(args: tuple[Arg, ...]) -> tuple[list[str], tuple[Arg, ...]]:
    """(the sub-command words, the rest) after docker's global options: ``docker -H x
    volume rm v`` -> (["volume", "rm"], (v,))."""
    i = 0
    while i < len(args) and args[i].text.startswith("-"):
        i += 2 if args[i].text in _DOCKER_GLOBAL_VALUE else 1
    words: list[str] = []
    while i < len(args) and len(words) < 2 and not args[i].text.startswith("-"):
        words.append(args[i].text)
        i += 1
        if words[0] not in (*_PRUNE_OBJECTS, "compose", "stack", "context"):
            break
    return words, args[i:]


def docker(inv: Invocation, ctx: RuleContext) -> None:
    """docker/podman prune, force removal, volume deletion, compose down -v."""
    words, rest = docker_command(inv.args)
    if not words:
        return
    flags = {a.text for a in rest}
    names = " ".join(a.text for a in rest if not a.text.startswith("-"))
    force = bool(flags & {"-f", "--force"}) or any(f.startswith("-") and not f.startswith("--") and "f" in f
                                                   for f in flags)
    tool = inv.name
    if words[-1] == "prune" or words == ["system", "prune"]:
        what = _PRUNE_OBJECTS.get(words[0], "unused objects")
        if words[0] == "image" and flags & {"-a", "--all"}:
            what = "every image not used by a container"
        ctx.emit("docker-destructive", f"{tool} {' '.join(words)} deletes {what}")
    elif words in (["rm"], ["container", "rm"], ["container", "remove"]) and force:
        ctx.emit("docker-destructive", f"{tool} rm -f removes running containers {names}".rstrip())
    elif words in (["rmi"], ["image", "rm"], ["image", "remove"]) and force:
        ctx.emit("docker-destructive", f"{tool} rmi -f force-removes images {names}".rstrip())
    elif words in (["volume", "rm"], ["volume", "remove"]):
        ctx.emit("docker-destructive", f"{tool} volume rm deletes volumes and their data: {names}".rstrip(": "))
    elif words[:1] == ["compose"] and (words[1:] == ["down"] or "down" in (a.text for a in rest)):
        _compose_down(tool, rest, ctx)


def _compose_down(tool: str, rest: tuple[Arg, ...], ctx: RuleContext) -> None:
    flags = {a.text for a in rest}
    if flags & {"-v", "--volumes"}:
        ctx.emit("docker-destructive", f"{tool} compose down -v deletes the project's volumes and their data")
    if any(f.startswith("--rmi") for f in flags):
        ctx.emit("docker-destructive", f"{tool} compose down --rmi deletes the project's images")


def docker_compose(inv: Invocation, ctx: RuleContext) -> None:
    """``docker-compose down -v/--rmi``."""
    words = [a.text for a in inv.args if not a.text.startswith("-")]
    if words[:1] == ["down"]:
        _compose_down(inv.name, inv.args, ctx)


_KUBECTL_VALUE = ("-n", "--namespace", "--context", "--kubeconfig", "-s", "--server", "--cluster", "--user",
                  "--token", "-l", "--selector", "-f", "--filename", "-o", "--output", "--as", "--as-group",
                  "--request-timeout", "--grace-period", "--timeout", "--field-selector", "-c", "--container")


def kubectl(inv: Invocation, ctx: RuleContext) -> None:
    """``kubectl delete``, ``drain``, ``replace --force``."""
    p = parse_options(inv.args, takes_value=_KUBECTL_VALUE)
    if not p.operands:
        return
    verb = p.operands[0].text
    target = " ".join(a.text for a in p.operands[1:])
    files = p.values("-f", "--filename")
    if files:
        target = (target + " " if target else "") + "from " + ", ".join(files)
    if p.has("--all", "-A", "--all-namespaces"):
        target = (target + " " if target else "") + "(all)"
    namespace = p.value("-n", "--namespace")
    where = f" in namespace {namespace}" if namespace else ""
    if verb == "delete":
        ctx.emit("k8s-delete", f"kubectl delete {target or 'resources'}{where}")
    elif verb == "drain":
        ctx.emit("k8s-delete", f"kubectl drain evicts every pod from node {target}")
    elif verb == "replace" and p.has("--force"):
        ctx.emit("k8s-delete", f"kubectl replace --force deletes and re-creates {target}{where}")


def helm(inv: Invocation, ctx: RuleContext) -> None:
    """``helm uninstall``."""
    words = [a.text for a in inv.args if not a.text.startswith("-")]
    if words and words[0] in ("uninstall", "delete", "del", "un"):
        ctx.emit("k8s-delete", f"helm {words[0]} removes the release {' '.join(words[1:])}".rstrip())


def terraform(inv: Invocation, ctx: RuleContext) -> None:
    """``terraform destroy``, ``apply -destroy``, ``state rm``."""
    words = [a.text for a in inv.args]
    verbs = [w for w in words if not w.startswith("-")]
    if "destroy" in verbs[:2]:
        ctx.emit("infra-destroy", f"{inv.name} destroy deletes every resource the configuration manages")
    elif verbs[:1] == ["apply"] and "-destroy" in words:
        ctx.emit("infra-destroy", f"{inv.name} apply -destroy deletes every resource the configuration manages")
    elif verbs[:2] == ["state", "rm"]:
        ctx.emit("infra-destroy", f"{inv.name} state rm makes Terraform forget resources: {' '.join(verbs[2:])}")


def pulumi_like(inv: Invocation, ctx: RuleContext) -> None:
    """``pulumi destroy``, ``cdk destroy``, ``pulumi stack rm``."""
    words = [a.text for a in inv.args if not a.text.startswith("-")]
    if words[:1] == ["destroy"] or words[:2] == ["stack", "rm"]:
        ctx.emit("infra-destroy", f"{inv.name} {' '.join(words[:2])} deletes the stack's resources")


def aws(inv: Invocation, ctx: RuleContext) -> None:
    """``aws s3 rm --recursive``, ``aws s3 rb``, ``aws ... delete-*/terminate-*``."""
    words = [a.text for a in inv.args if not a.text.startswith("-")]
    flags = {a.text for a in inv.args}
    if words[:2] == ["s3", "rm"] and "--recursive" in flags:
        ctx.emit("infra-destroy", f"aws s3 rm --recursive deletes every object under {' '.join(words[2:])}")
    elif words[:2] == ["s3", "rb"]:
        ctx.emit("infra-destroy", f"aws s3 rb deletes the bucket {' '.join(words[2:])}")
    elif len(words) >= 2 and words[1].startswith(("delete-", "terminate-")):
        ctx.emit("infra-destroy", f"aws {words[0]} {words[1]} deletes cloud resources")


def gcloud_like(inv: Invocation, ctx: RuleContext) -> None:
    """gcloud/az ``... delete``, ``gsutil rm -r``/``rb``."""
    words = [a.text for a in inv.args if not a.text.startswith("-")]
    flags = {a.text for a in inv.args}
    if inv.name == "gsutil":
        if "rb" in words or ("rm" in words and flags & {"-r", "-R", "-rf", "-a"}):
            ctx.emit("infra-destroy", f"gsutil {' '.join(words)} deletes cloud storage")
        return
    if "delete" in words:
        ctx.emit("infra-destroy", f"{inv.name} {' '.join(words[:words.index('delete') + 2])} deletes cloud resources")
    elif inv.name == "gcloud" and words[:2] == ["storage", "rm"] and flags & {"-r", "--recursive"}:
        ctx.emit("infra-destroy", "gcloud storage rm -r deletes cloud storage")


COMMANDS = {
    "docker": (docker,), "podman": (docker,), "nerdctl": (docker,),
    "docker-compose": (docker_compose,), "podman-compose": (docker_compose,),
    "kubectl": (kubectl,), "oc": (kubectl,), "helm": (helm,),
    "terraform": (terraform,), "tofu": (terraform,), "terragrunt": (terraform,),
    "pulumi": (pulumi_like,), "cdk": (pulumi_like,), "cdktf": (pulumi_like,),
    "aws": (aws,), "gcloud": (gcloud_like,), "gsutil": (gcloud_like,), "az": (gcloud_like,),
}
