"""Quality monitoring and coaching (docs/model.md section 6.2): evaluators score each agent's contacts a few
times a month and coach the agent off the floor after each evaluation. Off by default.

The coaching hours enter the agent's retained training stock (section 6.1) with their own transfer, so they
ramp up, decay and saturate like training; the evaluator's time is priced with the training cost.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.config.parts import Share, _Part
from sim.config.types import Duration


class Coaching(_Part):
    """Evaluations per agent per month, each costing evaluator time and taking the agent off the floor for a
    coaching session whose hours build skill and the agent's own empathy (deep acting, never decreed)."""

    enabled: bool = False
    evaluations_per_month: Annotated[float, Field(ge=0, le=100)] = 4.0  # per agent (illustrative)
    # the evaluator's time per evaluation: scoring the contact, preparing and giving the feedback (illustrative)
    evaluator_time: Duration = Field(default="45min", validate_default=True)
    evaluator_cost_per_hour: Annotated[float, Field(ge=0, le=1e6)] = 35.0  # EUR, loaded (illustrative)
    # the agent's coaching session off the floor, per evaluation (illustrative)
    coaching_time: Duration = Field(default="20min", validate_default=True)
    # share of a coaching hour applied on the job (training's is 0.62): feedback on the agent's own contacts
    # is practice with feedback, the step that makes training transfer (Olivero et al. 1997; illustrative);
    # 0: the evaluations cost time and money and change nothing
    transfer: Share = 1.0
    established: bool = False  # the programme has been running: staff start with the stock it maintains
