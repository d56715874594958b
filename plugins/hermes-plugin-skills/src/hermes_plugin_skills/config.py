"""The ``skills`` config section (``hermes config set skills.<key> <value>``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SkillsConfig(BaseModel):
    """Settings of the skills plugin; every key has a default."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # -- the prompt index ---------------------------------------------------------------
    index_max_skills: int = Field(50, ge=0, le=500, description="skills listed in the system prompt at most")
    index_max_chars: int = Field(8000, ge=500, le=100_000, description="size cap of the prompt's skill index")
    index_description_chars: int = Field(
        160, ge=40, le=1024, description="a description longer than this is cut in the index"
    )
    # -- loading ------------------------------------------------------------------------
    view_max_chars: int = Field(40_000, ge=1000, le=500_000, description="skill_view returns at most this much text")
    disabled: list[str] = Field(default_factory=list, description="skill names hidden from the model")
    # -- security -----------------------------------------------------------------------
    trusted_sources: list[str] = Field(
        default_factory=list, description="folders or git URL prefixes whose skills install despite findings"
    )
    # -- the learning loop --------------------------------------------------------------
    review_enabled: bool = Field(True, description="review busy turns in the background to save skills")
    review_threshold: int = Field(5, ge=1, le=1000, description="tool calls in a turn that start a review")
    review_max_iterations: int = Field(6, ge=1, le=50, description="model calls a review may make")
    review_join_timeout: float = Field(
        30.0, ge=0, le=3600, description="seconds session end waits for a running review before cancelling it"
    )
    # -- curation -----------------------------------------------------------------------
    curate_unused_days: float = Field(
        60.0, gt=0, description="agent-made skills unused this long are archived by hermes skills curate"
    )
    curate_duplicate_threshold: float = Field(
        0.6, gt=0, le=1, description="similarity at which two skills are flagged as near-duplicates"
    )


def settings_of(host: object) -> SkillsConfig:
    """The validated ``skills`` section of ``host``, or the defaults when the section is
    invalid (the error is reported by ``hermes doctor``) or not registered."""
    try:
        value = host.plugin_config("skills")  # type: ignore[attr-defined]
    except Exception:
        return SkillsConfig()
    return value if isinstance(value, SkillsConfig) else SkillsConfig()
