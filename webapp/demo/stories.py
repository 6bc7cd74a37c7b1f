"""The words of engagements: messages, milestones, session notes, artifacts, check-in comments
and outcome reviews. Placeholders: {work}, {skill}, {member}, {first}, {n}, {team}."""
from __future__ import annotations

from ..models import ArtifactKind, SessionKind

INVITATION_MESSAGES = (
    "Hello {first}, your experience with {work} stood out. Would you like to talk about working with {team}?",
    "Hi {first}, we are looking for someone to help {team} with {work} and your profile reads like a good fit. Interested in a first call?",
    "Dear {first}, thank you for your profile. We would love your help on {work}; the details are in the need.",
)
DECLINE_REASONS = (
    "Fully booked until the end of the quarter, sorry. Happy to be asked again later.",
    "The hours per week don't fit my current commitments.",
    "This is further from my experience than I would like; I would not be the best choice.",
    "I only take remote work in my own time zone at the moment.",
)
INTEREST_NOTES = (
    "I did something very close to this at my last client and would be glad to share what worked.",
    "Available from next month for the hours you mention.",
    "I like that you want the team to own the result; that is how I work too.",
    "Happy to start with a short paid discovery week to see whether we fit.",
    "",
)
MILESTONES = (
    "Baseline skills check with the team",
    "First {work} trial on real cases, reviewed together",
    "Team runs {work} for a week with support on call",
    "Team leads the weekly review without outside help",
    "Hand-over: playbook, recordings and open questions",
)
KICK_OFF = "Kick-off workshop: mapped today's {work} on the wall, picked three pain points and agreed how we measure progress."
SESSION_NOTES = {
    SessionKind.WORKSHOP: (
        "Hands-on workshop on {skill}: everyone built one small example on their own cases.",
        "Workshop on prompt patterns for {work}; the team started a shared prompt library.",
    ),
    SessionKind.PAIRING: (
        "Paired with {member} on live {work}; {first} took the lead after the first hour and we noted two cases where the suggestion was wrong.",
        "Worked through {n} real cases of {work} with {member} and agreed a checklist for when to trust the output.",
        "Pairing with {member}: {first} drove, I only asked questions. Good progress on {skill}.",
    ),
    SessionKind.MENTORING: (
        "One-to-one with {member} on {skill}: reviewed last week's work and set a small stretch goal.",
        "{member} brought questions about {skill}; we went through them with examples from their own queue.",
    ),
    SessionKind.REVIEW: (
        "Reviewed two weeks of {work} output with the team: accuracy is up, and {member} proposed a new review rule.",
        "Looked at the check-in results together; workload is the concern, so we dropped one experiment.",
    ),
    SessionKind.REFLECTION: (
        "Reflection: what the team now does without me, what still feels shaky, and who owns each piece after the hand-over.",
        "Retrospective so far: the team chose to practise more before extending the pilot to the second shift.",
    ),
}
SESSION_MINUTES = {
    SessionKind.WORKSHOP: (90, 120, 180), SessionKind.PAIRING: (60, 90, 120),
    SessionKind.MENTORING: (45, 60), SessionKind.REVIEW: (60, 90), SessionKind.REFLECTION: (60, 90),
}
ARTIFACTS = (
    (ArtifactKind.PLAYBOOK, "Playbook: {work}"),
    (ArtifactKind.DOCUMENT, "Review checklist for {work}"),
    (ArtifactKind.RECORDING, "Recorded walkthrough of {work}, start to finish"),
    (ArtifactKind.CODE, "Prompt library and scripts for {work}"),
    (ArtifactKind.DOCUMENT, "Skills baseline and targets"),
)
CHECKIN_COMMENTS = {
    "good": (
        "I feel more confident checking the suggestions than I did a month ago.",
        "Good that we can say when the tool is wrong without anyone getting defensive.",
        "The pairing sessions help more than the workshops.",
    ),
    "mixed": (
        "Useful, but I still don't know how this fits the targets for next quarter.",
        "Some weeks there is no time for the sessions because of the queue.",
        "I would like more examples from our own work.",
    ),
    "concern": (
        "Worried about what this means for my job, honestly.",
        "It feels like the tool is being built around us rather than with us.",
        "Too much at once on top of the normal workload.",
    ),
}
LEADER_REVIEWS = {
    "augment": (
        "{member} now runs the weekly {work} review and trains new colleagues on it. The team chose its own rules for when to trust the assistant, which is why they actually use it.",
        "The team owns {work} now: playbook, prompts and review habits are theirs, and confidence in the check-ins rose every round.",
    ),
    "automate": (
        "{work} now runs largely without manual steps. The team monitors it and handles exceptions, though two people needed more support with the change than we planned for.",
        "The automation works and saves real time; next time we would involve the team earlier, as some felt it was done to them.",
    ),
}
FREELANCER_REVIEWS = (
    "A team that asked hard questions from day one. {member} in particular pushed every idea until it held up on real cases.",
    "The leader protected time for practice, which made all the difference. The team needed me less every week, as it should be.",
    "Clear goals and quick decisions. Most of the learning came from pairing on live work rather than from the workshops.",
)
CANCEL_REASONS = (
    "Budget moved to the depot reorganisation; we agreed to stop after the second week.",
    "The team's priorities changed with peak season; we will post the need again next year.",
)
