"""1,000 installed skills: the prompt's skill index stays within its budget, and the
relevant skill is still found, through the index or ``skills_search``.

The skills are generated: 40 subjects x 25 kinds of task, each written with three
phrasings of the task and of the subject (one in the name, one in the description's
"use when", one only in the body). Requests use the second or third phrasings, so a hit
needs the full-text ranking, not a name match. The test prints the numbers it measures.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import time
from pathlib import Path

import pytest

from hermes_core.host import Host
from hermes_core.testing import Reply, call_tool, make_session, run_agent

skills_plugin = pytest.importorskip("hermes_plugin_skills")
from hermes_plugin_skills.catalog import CACHE_NAME, load_catalog  # noqa: E402
from hermes_plugin_skills.config import SkillsConfig  # noqa: E402
from hermes_plugin_skills.prompt_index import build_index  # noqa: E402

SUBJECTS = {  # name part: (description phrase, trigger phrase, body-only phrase)
    "postgres": ("a PostgreSQL database", "the Postgres DB", "psql and pg_dump"),
    "redis": ("a Redis cache", "the in-memory key-value store", "redis-cli"),
    "kubernetes": ("a Kubernetes cluster", "k8s workloads", "kubectl and pods"),
    "terraform": ("Terraform infrastructure", "infrastructure as code", "tfstate plans"),
    "nginx": ("an nginx web server", "the reverse proxy", "server blocks and upstreams"),
    "docker": ("Docker containers", "container images", "Dockerfile layers"),
    "kafka": ("a Kafka cluster", "the event streaming platform", "topics and consumer groups"),
    "grafana": ("Grafana dashboards", "metrics visualisation", "panels and datasources"),
    "ansible": ("Ansible playbooks", "configuration management", "inventories and roles"),
    "spark": ("Apache Spark jobs", "distributed data processing", "executors and RDDs"),
    "pandas": ("pandas dataframes", "tabular data analysis in Python", "groupby and merges"),
    "ffmpeg": ("video files with ffmpeg", "audio and video transcoding", "codecs and bitrates"),
    "latex": ("LaTeX documents", "academic papers", "bibtex and pdflatex"),
    "airflow": ("Airflow DAGs", "scheduled data pipelines", "operators and task retries"),
    "celery": ("Celery workers", "background task queues", "brokers and beat schedules"),
    "mongodb": ("a MongoDB database", "the document store", "collections and mongodump"),
    "elasticsearch": ("an Elasticsearch cluster", "the full-text search engine", "shards and mappings"),
    "prometheus": ("Prometheus monitoring", "time-series alerting", "PromQL and exporters"),
    "systemd": ("systemd services", "Linux daemons", "unit files and journalctl"),
    "jenkins": ("Jenkins pipelines", "the CI server", "Jenkinsfile stages"),
    "github-actions": ("GitHub Actions workflows", "CI jobs on GitHub", "workflow YAML and runners"),
    "s3": ("Amazon S3 buckets", "object storage on AWS", "bucket policies and aws s3 sync"),
    "django": ("a Django application", "the Python web framework", "manage.py and ORM models"),
    "react": ("a React frontend", "the single-page app", "components and hooks"),
    "rabbitmq": ("a RabbitMQ broker", "message queues", "exchanges and bindings"),
    "mysql": ("a MySQL database", "the relational database", "mysqldump and InnoDB"),
    "ssh": ("SSH access", "remote shell logins", "keys and sshd_config"),
    "git": ("a git repository", "version control history", "branches and commits"),
    "pytest": ("a pytest suite", "Python unit tests", "fixtures and conftest"),
    "wordpress": ("a WordPress site", "the blog CMS", "plugins and wp-cli"),
    "vault": ("HashiCorp Vault", "the secrets manager", "policies and tokens"),
    "consul": ("Consul service discovery", "the service registry", "agents and health checks"),
    "haproxy": ("an HAProxy load balancer", "traffic balancing", "frontends and backends"),
    "cassandra": ("a Cassandra cluster", "the wide-column store", "keyspaces and nodetool"),
    "rust": ("a Rust crate", "Rust code", "cargo and clippy"),
    "golang": ("a Go service", "Go code", "go modules and goroutines"),
    "excel": ("Excel spreadsheets", "workbook files", "formulas and pivot tables"),
    "pdf": ("PDF documents", "printable reports", "pages and fonts in PDFs"),
    "slack": ("a Slack workspace", "team chat notifications", "webhooks and channels"),
    "dns": ("DNS records", "domain name resolution", "zones and TTLs"),
}
ACTIONS = {  # name part: (description phrase, trigger phrase, body-only phrase)
    "backup": ("Back up", "take a snapshot of", "copy everything safely off"),
    "restore": ("Restore", "recover", "bring back from a snapshot"),
    "migrate": ("Migrate", "move to a new version of", "port the data across"),
    "deploy": ("Deploy", "ship a release of", "roll out"),
    "monitor": ("Monitor", "watch the health of", "alert on"),
    "debug": ("Debug", "troubleshoot errors in", "find the root cause of failures in"),
    "upgrade": ("Upgrade", "update to the latest release", "bump the version of"),
    "secure": ("Harden", "lock down", "apply security best practice to"),
    "benchmark": ("Benchmark", "measure the speed of", "load-test"),
    "lint": ("Lint", "check the style of", "run static analysis over"),
    "profile": ("Profile", "find hot spots in", "measure where time goes in"),
    "document": ("Document", "write docs for", "produce a runbook for"),
    "scale": ("Scale", "add capacity to", "handle more traffic with"),
    "configure": ("Configure", "set up", "tune the settings of"),
    "audit": ("Audit", "review access to", "produce a compliance report for"),
    "clean": ("Clean up", "free disk space used by", "remove stale data from"),
    "rotate-credentials": ("Rotate credentials of", "change the passwords for", "issue new keys for"),
    "replicate": ("Replicate", "mirror", "keep a hot standby of"),
    "containerise": ("Containerise", "package into an image", "write a container build for"),
    "test": ("Test", "write tests for", "verify behaviour of"),
    "optimise": ("Optimise", "make faster", "cut the latency of"),
    "install": ("Install", "get started with", "bootstrap a fresh"),
    "uninstall": ("Uninstall", "remove completely", "tear down"),
    "archive": ("Archive", "move old data out of", "compress and store history of"),
    "visualise": ("Visualise", "chart the data of", "plot graphs from"),
}
FILLERS = ["Could you help me", "Please", "I need to", "Can we", "Time to", "We should"]


def generate(root: Path, count: int | None = None) -> list[tuple[str, str, str]]:
    """Write the skills under ``root``; return ``(name, action, subject)`` per skill."""
    made = []
    for subject, (s0, s1, s2) in SUBJECTS.items():
        for action, (a0, a1, a2) in ACTIONS.items():
            name = f"{action}-{subject}"
            folder = root / name
            folder.mkdir(parents=True)
            (folder / "SKILL.md").write_text(
                f"---\nname: {name}\ndescription: {a0} {s0}. Use when asked to {a1.lower()} {s1}.\n"
                f"metadata:\n  hermes.tags: {action}, {subject}\n---\n\n"
                f"# {a0} {s0}\n\n1. Check what you have: {s2}.\n2. {a2.capitalize()} {s0}, one step at a time.\n"
                f"3. Verify the result and write down what changed.\n",
                encoding="utf-8")
            made.append((name, action, subject))
            if count is not None and len(made) >= count:
                return made
    return made


def request_for(action: str, subject: str, rng: random.Random) -> str:
    """A request in other words than the skill's name; half of them also mention an
    unrelated subject, as real requests do ("... the API behind nginx")."""
    verb = ACTIONS[action][rng.choice((1, 2))].lower()
    noun = SUBJECTS[subject][rng.choice((1, 2))]
    text = f"{rng.choice(FILLERS)} {verb} {noun} for the project?"
    if rng.random() < 0.5:
        other = rng.choice([s for s in SUBJECTS if s != subject])
        text += f" It runs next to {SUBJECTS[other][0]}."
    return text


@pytest.fixture
def thousand(make_host, hermes_home, monkeypatch):
    monkeypatch.setattr("hermes_plugin_skills.locations.bundled_skills_dir", lambda: None)
    started = time.perf_counter()
    made = generate(hermes_home / "skills")
    host = make_host(plugins={"skills": skills_plugin})
    return host, made, time.perf_counter() - started


def test_index_budget_and_hit_rate_with_1000_skills(thousand, tmp_path, hermes_home, hermes_report):
    host, made, generate_seconds = thousand
    assert len(made) == 1000
    settings = SkillsConfig()
    tools = {"skill_view", "skills_search", "skills_list", "skill_manage"}

    started = time.perf_counter()
    catalog = load_catalog(host)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    catalog = load_catalog(host)
    warm = time.perf_counter() - started
    assert len(catalog) == 1000 and catalog.problems == []
    cache_bytes = (hermes_home / "cache" / CACHE_NAME).stat().st_size

    rng = random.Random(6)
    targets = rng.sample(made, 150)
    index_hits = search_hits = either = 0
    index_sizes, index_seconds, search_seconds = [], [], []
    session = make_session(host)
    for name, action, subject in targets:
        request = request_for(action, subject, rng)
        started = time.perf_counter()
        text, listed = build_index(host, catalog, settings, first_message=request, cwd=tmp_path, tool_names=tools)
        index_seconds.append(time.perf_counter() - started)
        index_sizes.append(len(text))
        started = time.perf_counter()
        result = call_tool(host, "skills_search", {"query": request, "limit": 5}, session=session)
        search_seconds.append(time.perf_counter() - started)
        found = [r["name"] for r in json.loads(result.content)["results"]]
        in_index, in_search = name in listed, name in found
        index_hits += in_index
        search_hits += in_search
        either += in_index or in_search

    # The index of a home with only 50 of these skills (a random sample), for comparison.
    small_home = tmp_path / "fifty"
    for name, _, _ in rng.sample(made, 50):
        shutil.copytree(hermes_home / "skills" / name, small_home / "skills" / name)
    small_host = Host(small_home, env={}, autoload=False, cwd=tmp_path).load()
    small_host.register(skills_plugin, name="skills")
    small_text, small_listed = build_index(small_host, load_catalog(small_host), settings, first_message="",
                                           cwd=tmp_path, tool_names=tools)
    assert len(small_listed) == 50

    n = len(targets)
    p = statistics.quantiles(search_seconds, n=20)
    summary = (
        f"1,000 skills: generated in {generate_seconds:.2f}s; catalog load cold {cold * 1000:.0f} ms, "
        f"warm {warm * 1000:.0f} ms (cache {cache_bytes / 1024:.0f} KiB)\n"
        f"prompt index: {max(index_sizes):,} characters max, {statistics.mean(index_sizes):,.0f} mean "
        f"(~{max(index_sizes) // 4:,} tokens max), "
        f"budget {settings.index_max_chars:,}; with 50 skills installed: {len(small_text):,} characters "
        f"(~{len(small_text) // 4:,} tokens); index build median {statistics.median(index_seconds) * 1000:.1f} ms\n"
        f"hit rate over {n} paraphrased requests: index {index_hits / n:.1%}, skills_search top-5 "
        f"{search_hits / n:.1%}, either {either / n:.1%}\n"
        f"skills_search through the tool path: p50 {statistics.median(search_seconds) * 1000:.1f} ms, "
        f"p95 {p[18] * 1000:.1f} ms"
    )
    for line in summary.splitlines():
        hermes_report("skills at scale (tests/integration/test_skills_scale.py)", line)
    assert max(index_sizes) <= settings.index_max_chars
    assert max(index_sizes) <= len(small_text) * 1.25  # 1,000 skills cost about what 50 do
    assert either / n >= 0.95
    assert index_hits / n >= 0.9


async def test_conversation_with_1000_skills_finds_both_ways(thousand, llm_server):
    host, _, _ = thousand
    llm_server.script(
        Reply.tool_call("skills_search", {"query": "recover the document store from a snapshot"}),
        Reply.tool_call("skill_view", {"name": "restore-mongodb"}),
        Reply.text("Restored."),
    )
    agent = await run_agent(host, llm_server, "Please take a snapshot of the Postgres DB before tonight's release.")
    first = llm_server.chat_requests[0]
    index = first.system_prompt.split("<available_skills>")[1].split("</available_skills>")[0]
    assert "- backup-postgres:" in index
    assert len(index.strip().splitlines()) == 50
    search_result = json.loads(llm_server.chat_requests[1].messages[-1]["content"])
    assert search_result["results"][0]["name"] == "restore-mongodb" and search_result["installed"] == 1000
    assert "Restore a MongoDB database" in llm_server.chat_requests[2].messages[-1]["content"]
    assert agent.last_result.text == "Restored."
