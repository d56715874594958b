"""The learning loop: after a busy turn, a short background review decides what to keep.

When a turn made at least ``skills.review_threshold`` tool calls, ``hermes_turn_end``
starts an asyncio task that runs a small agent (origin ``review``) on the same provider,
with only the memory and skill tools and a few iterations. It reads a transcript of the
turn and saves or patches skills (and memory) as it sees fit. The user's conversation
never waits for it: the next prompt is served at once. At session end the running review
gets ``skills.review_join_timeout`` seconds to finish, then it is cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib

from hermes_core.context import NonInteractive, SessionInfo, new_session_id
from hermes_core.types import TurnRecord

from .config import SkillsConfig
from .loading import state

REVIEW_TOOLS = ("memory", "skills_list", "skills_search", "skill_view", "skill_manage")
TRANSCRIPT_CHARS = 16_000
#: Origins whose turns are reviewed (a review never reviews itself; subagents and cron
#: jobs report to someone who is reviewed).
REVIEWED_ORIGINS = ("agent", "gateway")

REVIEW_PROMPT = """\
You are looking back at a task you just finished with the user, to decide what is worth keeping for next time.
Nobody is waiting for you: work quietly with your tools, then reply with one short line saying what you saved.

Keep, in order of value:
1. A reusable procedure: a task that took several steps, trial and error, or a correction from the user, and that is
   likely to come up again. First look for a skill that already covers it (skills_search). Improve that one with
   skill_manage action "patch"; create a new skill with action "create" only when none fits. A skill is a SKILL.md:
   front matter with `name` (lower-case words joined by "-", naming the kind of task, not this instance) and
   `description` (what it does and when to use it, one or two sentences), then short sections: when to use it, the
   steps with exact commands, pitfalls met, and how to check the result.
2. A skill that was followed and turned out wrong or incomplete: patch it with what actually worked.
3. Lasting facts about the user or their environment: the memory tool, when it is available.

Do not save one-off details, secrets or credentials, or anything the user asked to keep private. Saving nothing is
fine: then reply "Nothing to save."
{skills_note}
<transcript>
{transcript}
</transcript>"""


def should_review(session: SessionInfo, turn: TurnRecord, settings: SkillsConfig) -> bool:
    """Whether this turn deserves a review."""
    if not settings.review_enabled or session.origin not in REVIEWED_ORIGINS:
        return False
    if len(turn.tool_calls) < settings.review_threshold:
        return False
    agent = session.agent
    if agent is None or "skill_manage" not in {t.name for t in agent.tool_list}:
        return False
    task = state(session).get("review_task")
    return task is None or task.done()


def review_prompt(turn: TurnRecord, skill_outcome: dict[str, int]) -> str:
    """The review's request: instructions, what happened to loaded skills, the transcript."""
    from hermes_core.agent.compress import render_transcript

    notes = []
    for name, failed in sorted(skill_outcome.items()):
        if failed:
            notes.append(f"The skill '{name}' was followed in this task and {failed} tool call(s) failed after it was "
                         "loaded: check whether its steps were wrong and patch it.")
        else:
            notes.append(f"The skill '{name}' was followed in this task without failures.")
    messages = [m for m in turn.messages if m.role != "system"]
    transcript = render_transcript(messages, max_chars=TRANSCRIPT_CHARS) if messages else (
        f"USER: {turn.user_message}\nASSISTANT: {turn.assistant_message}")
    skills_note = ("\n" + "\n".join(notes) + "\n") if notes else ""
    return REVIEW_PROMPT.format(skills_note=skills_note, transcript=transcript)


async def run_review(parent: SessionInfo, prompt: str, settings: SkillsConfig) -> str:
    """Run the review agent to completion and return its final answer."""
    from hermes_core.agent.loop import Agent

    parent_agent = parent.agent
    tools = [t for t in parent_agent.tool_list if t.name in REVIEW_TOOLS]
    session = SessionInfo(
        id=new_session_id(), host=parent.host, user_id=parent.user_id, platform=parent.platform,
        chat_id=parent.chat_id, parent_id=parent.id, origin="review", provider=parent_agent.settings.provider,
        model=parent_agent.settings.model, cwd=parent.cwd, interaction=NonInteractive(),
        title="skill review",
    )
    reviewer = Agent(parent.host, session, parent_agent.provider, parent_agent.settings, tools=tools,
                     max_iterations=settings.review_max_iterations, record=False)
    await reviewer.start()
    try:
        result = await reviewer.run_turn(prompt)
        return result.text
    finally:
        await reviewer.close("exit")


def start_review(session: SessionInfo, turn: TurnRecord, skill_outcome: dict[str, int],
                 settings: SkillsConfig) -> asyncio.Task[None]:
    """Start the review as a background task and return it."""
    data = state(session)
    prompt = review_prompt(turn, skill_outcome)

    async def job() -> None:
        try:
            answer = await run_review(session, prompt, settings)
            data.setdefault("reviews", []).append({"ok": True, "answer": answer})
        except asyncio.CancelledError:
            data.setdefault("reviews", []).append({"ok": False, "answer": "cancelled at session end"})
            raise
        except Exception as exc:  # a failed review must never reach the user's conversation
            data.setdefault("reviews", []).append({"ok": False, "answer": f"{type(exc).__name__}: {exc}"})

    task = asyncio.get_running_loop().create_task(job(), name=f"hermes-skill-review-{session.id}")
    data["review_task"] = task
    return task


async def join_review(session: SessionInfo, timeout: float) -> None:
    """Let a running review finish within ``timeout`` seconds, else cancel it and wait
    for the cancellation to land."""
    task = session.state("skills").get("review_task")
    if task is None or task.done():
        return
    done, _ = await asyncio.wait({task}, timeout=timeout)
    if not done:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
