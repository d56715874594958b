"""The skill index in the system prompt: complete when small, bounded and relevant when large."""

from __future__ import annotations

import pytest

from hermes_core.testing import Reply, run_agent
from hermes_plugin_skills.catalog import load_catalog
from hermes_plugin_skills.config import SkillsConfig
from hermes_plugin_skills.prompt_index import build_index

TOOLS = {"skills_list", "skill_view", "skills_search", "skill_manage"}
SUBJECTS = ["postgres", "redis", "kubernetes", "terraform", "nginx", "docker", "kafka", "grafana", "ansible", "spark",
            "pandas", "ffmpeg", "latex", "airflow", "celery", "mongodb", "elasticsearch", "prometheus", "systemd", "jenkins"]
ACTIONS = ["backup", "restore", "migrate", "deploy", "monitor", "debug", "upgrade", "secure", "benchmark", "lint",
           "profile", "document", "scale", "configure", "audit"]


@pytest.fixture
def many(write_skill, hermes_home):
    """300 generated skills (action x subject) in $HERMES_HOME/skills."""
    for subject in SUBJECTS:
        for action in ACTIONS:
            write_skill(hermes_home / "skills", f"{action}-{subject}",
                        f"How to {action} a {subject} installation safely. Use when asked to {action} {subject}.",
                        f"# {action} {subject}\n1. Check the {subject} version.\n2. {action} it.\n")
    return len(SUBJECTS) * len(ACTIONS)


async def test_small_catalog_lists_everything_in_the_prompt(host_with_skills, llm_server, write_skill, hermes_home):
    write_skill(hermes_home / "skills", "zeta-notes", "Keep notes about zeta.")
    llm_server.script(Reply.text("ok"))
    await run_agent(host_with_skills, llm_server, "hello")
    prompt = llm_server.chat_requests[0].system_prompt
    section = prompt[prompt.index("# Skills"):]
    listed = [line[2:].split(":")[0] for line in section.split("<available_skills>\n")[1].split("\n</available")[0].splitlines()]
    assert listed == sorted(listed) and "zeta-notes" in listed and "git-careful-workflow" in listed
    assert "skills_search" not in section.split("<available_skills>")[0]  # nothing left out, nothing to search for
    assert prompt.index("# Skills") < prompt.index("Current date")


async def test_no_index_without_the_skill_tools(host_with_skills, llm_server):
    host_with_skills.config.tools.disabled_toolsets = ["skills"]
    llm_server.script(Reply.text("ok"))
    await run_agent(host_with_skills, llm_server, "hello")
    assert "# Skills" not in llm_server.chat_requests[0].system_prompt


def test_large_catalog_is_bounded_and_relevant(host_with_skills, many, no_bundled, tmp_path):
    catalog = load_catalog(host_with_skills)
    assert len(catalog) == many
    settings = SkillsConfig(index_max_skills=20, index_max_chars=3000)
    text, listed = build_index(host_with_skills, catalog, settings, first_message="our kafka cluster needs an upgrade",
                               cwd=tmp_path, tool_names=TOOLS)
    assert len(text) <= 3000 and len(listed) <= 20
    assert listed[0] == "upgrade-kafka"
    assert "skills_search" in text and f"{many} installed" in text


def test_working_directory_names_count(host_with_skills, many, no_bundled, tmp_path):
    project = tmp_path / "terraform-infra"
    project.mkdir()
    (project / "main.tf").write_text("")
    catalog = load_catalog(host_with_skills)
    _, listed = build_index(host_with_skills, catalog, SkillsConfig(index_max_skills=15), first_message="",
                            cwd=project, tool_names=TOOLS)
    assert listed and all(name.endswith("-terraform") for name in listed)


def test_most_used_fill_the_index_without_a_request(host_with_skills, many, no_bundled, tmp_path, hermes_home):
    from hermes_plugin_skills.usage import UsageStore

    store = UsageStore(hermes_home / "skills")
    for _ in range(3):
        store.record("lint-jenkins", "loaded")
    store.record("audit-redis", "loaded")
    _, listed = build_index(host_with_skills, load_catalog(host_with_skills), SkillsConfig(index_max_skills=5),
                            first_message="", cwd=tmp_path, tool_names=TOOLS)
    assert listed[:2] == ["lint-jenkins", "audit-redis"]


def test_long_descriptions_are_cut(host_with_skills, write_skill, hermes_home, no_bundled, tmp_path):
    write_skill(hermes_home / "skills", "wordy", "word " * 300)
    text, _ = build_index(host_with_skills, load_catalog(host_with_skills), SkillsConfig(index_description_chars=80),
                          first_message="", cwd=tmp_path, tool_names=TOOLS)
    line = next(line for line in text.splitlines() if line.startswith("- wordy"))
    assert len(line) <= len("- wordy: ") + 80 and line.endswith("…")


def test_untrusted_descriptions_are_guarded(host_with_skills, write_skill, hermes_home, no_bundled, tmp_path, injection):
    write_skill(hermes_home / "skills", "evil", f"Useful. {injection}")
    text, _ = build_index(host_with_skills, load_catalog(host_with_skills), SkillsConfig(), first_message="",
                          cwd=tmp_path, tool_names=TOOLS)
    assert injection not in text and "withheld by the security scanner" in text


def test_skills_needing_missing_tools_stay_out_of_the_index(host_with_skills, write_skill, hermes_home, no_bundled,
                                                            tmp_path):
    write_skill(hermes_home / "skills", "browse-site", "Needs a browser.", metadata="\n  hermes.requires-tools: browser")
    write_skill(hermes_home / "skills", "plain", "Needs nothing.")
    catalog = load_catalog(host_with_skills)
    _, listed = build_index(host_with_skills, catalog, SkillsConfig(), first_message="", cwd=tmp_path, tool_names=TOOLS)
    assert listed == ["plain"]
    _, with_browser = build_index(host_with_skills, catalog, SkillsConfig(), first_message="", cwd=tmp_path,
                                  tool_names=TOOLS | {"browser"})
    assert with_browser == ["browse-site", "plain"]
