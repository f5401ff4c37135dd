"""Every change to a post-incident review goes through one of these functions."""

from reviews.services.drill_proposals import drill_proposal_apply
from reviews.services.follow_ups import follow_up_complete, follow_up_create, follow_ups_remind
from reviews.services.lifecycle import (
    review_check_closable,
    review_complete,
    review_open,
    review_update,
    review_waive,
)
from reviews.services.proposals import proposal_create

__all__ = [
    "drill_proposal_apply",
    "follow_up_complete",
    "follow_up_create",
    "follow_ups_remind",
    "proposal_create",
    "review_check_closable",
    "review_complete",
    "review_open",
    "review_update",
    "review_waive",
]
