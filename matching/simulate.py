"""A simulated market: does ranking by transfer record leave teams stronger, and does the
newcomer floor keep newcomers seen? Evidence that the mechanism works as designed, not a claim
about real markets.

    python -m matching.simulate [--rounds N] [--seed S] [--json]

Assumptions (also in the README, *The simulation*):
- INITIAL freelancers at the start and ARRIVALS more each round; each has a topic (a random unit
  vector in DIM dimensions) and a hidden teaching ability t ~ Beta(2, 2) that nothing observes.
- NEEDS_PER_ROUND needs arrive each round, each with a random topic. A candidate's true
  relevance is the cosine of the two topics; the ranking sees it with noise (sd SEMANTIC_NOISE),
  standing in for what embeddings and skills get right and wrong. LEARNING_SHARE of needs lean
  to augmenting or state a learning goal (the record applies to them); the rest do not.
- The ranking scores every candidate: the observed relevance (clipped to 0-1), times the
  production track-record factor (`matching.track_record`, `Weights().record`) for needs the
  record applies to, and with the floor the production `floor_newcomers` (one slot in ten).
- The leader hires one of the top 3, with chances HIRE_CHANCES (first, second, third).
- Outcomes are drawn from relevance and teaching ability with noise: gap closed =
  clip(0.15 + 0.35 relevance + 0.45 t + N(0, 0.1)); kept = clip(0.4 + 0.5 t + N(0, 0.1));
  connection-health change = N(20 (t - 0.5), 5) points; rating = round(1 + 4 x gap + N(0, 0.5)),
  clipped to 1-5. Each becomes an EngagementResult in the freelancer's record; the prior is the
  population's mean outcome so far, as on Tandem.
- Every policy runs the same market (the same freelancers, arrivals and needs, the same noise
  draws per hire), so differences come from the ranking alone.

Reported, over the last half of the rounds (the first half lets records form):
- gap_closed: the mean share of the skill gap closed per engagement;
- newcomer_exposure_ratio: newcomers' (no record that counts: fewer than 3 engagements) share of
  top-10 appearances over their share of the population at the time;
- best_teacher_top3: how often the best teacher among the relevant candidates (true relevance
  at least RELEVANT_WITHIN of the best for that need) was in the top 3.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field

import numpy as np

from matching.ranking import floor_newcomers
from matching.scoring import Weights
from matching.track_record import EngagementResult, TrackRecord, is_newcomer, record_factor, track_record
from matching.types import Match

DIM = 12
SPECIALTIES = 8  # topics cluster: many freelancers are about as relevant to a need as each other
SPREAD = 0.35  # how far a freelancer or a need sits from its specialty's centre
INITIAL = 200
ARRIVALS = 2
NEEDS_PER_ROUND = 10
SEMANTIC_NOISE = 0.05
LEARNING_SHARE = 0.8
HIRE_CHANCES = (0.6, 0.25, 0.15)
RELEVANT_WITHIN = 0.95  # "relevant": true relevance at least 95% of the need's best candidate's
TOP = 10
FLOOR_EVERY = 10
POLICIES = ("semantic", "record", "record_floor")


@dataclass(frozen=True)
class Market:
    """Everything drawn before any policy runs: freelancers, their arrival, needs, noise."""

    topics: np.ndarray  # (freelancers, DIM)
    teaching: np.ndarray  # (freelancers,)
    arrives: np.ndarray  # the round each freelancer joins
    needs: np.ndarray  # (rounds, NEEDS_PER_ROUND, DIM)
    learning: np.ndarray  # (rounds, NEEDS_PER_ROUND) whether the record applies
    observed_noise: np.ndarray  # (rounds, NEEDS_PER_ROUND, freelancers)
    hire_draws: np.ndarray  # (rounds, NEEDS_PER_ROUND) uniform, picks one of the top 3
    outcome_noise: np.ndarray  # (rounds, NEEDS_PER_ROUND, 4)


def draw_market(rounds: int, seed: int) -> Market:
    rng = np.random.default_rng(seed)
    total = INITIAL + ARRIVALS * rounds
    specialties = _unit(rng.normal(size=(SPECIALTIES, DIM)))
    topics = _around(specialties[rng.integers(SPECIALTIES, size=total)], rng)
    arrives = np.concatenate([np.zeros(INITIAL, int), np.repeat(np.arange(rounds), ARRIVALS)])
    return Market(
        topics=topics,
        teaching=rng.beta(2, 2, size=total),
        arrives=arrives,
        needs=_around(specialties[rng.integers(SPECIALTIES, size=(rounds, NEEDS_PER_ROUND))], rng),
        learning=rng.random((rounds, NEEDS_PER_ROUND)) < LEARNING_SHARE,
        observed_noise=rng.normal(0, SEMANTIC_NOISE, size=(rounds, NEEDS_PER_ROUND, total)),
        hire_draws=rng.random((rounds, NEEDS_PER_ROUND)),
        outcome_noise=rng.normal(size=(rounds, NEEDS_PER_ROUND, 4)),
    )


def _around(centres: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return _unit(centres + SPREAD * rng.normal(size=centres.shape) / np.sqrt(DIM))


def _unit(vectors: np.ndarray) -> np.ndarray:
    unit: np.ndarray = vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)
    return unit


@dataclass
class Tally:
    gaps: list[float] = field(default_factory=list)
    newcomer_exposure: list[float] = field(default_factory=list)
    newcomer_population: list[float] = field(default_factory=list)
    best_in_top3: list[bool] = field(default_factory=list)

    def summary(self) -> dict[str, float | None]:
        population = float(np.mean(self.newcomer_population)) if self.newcomer_population else 0.0
        exposure = float(np.mean(self.newcomer_exposure)) if self.newcomer_exposure else 0.0
        return {
            "gap_closed": round(float(np.mean(self.gaps)), 4) if self.gaps else None,
            "newcomer_exposure_ratio": round(exposure / population, 4) if population else None,
            "best_teacher_top3": round(float(np.mean(self.best_in_top3)), 4) if self.best_in_top3 else None,
        }


def run_policy(market: Market, policy: str, weight: float = Weights().record) -> dict[str, float | None]:
    """One policy through the whole market; its figures over the last half of the rounds."""
    rounds = market.needs.shape[0]
    results: list[list[EngagementResult]] = [[] for _ in range(len(market.teaching))]
    outcomes_sum, outcomes_n = 0.0, 0
    tally = Tally()
    for r in range(rounds):
        present = np.flatnonzero(market.arrives <= r)
        prior = outcomes_sum / outcomes_n if outcomes_n else 0.5
        records = {int(i): track_record(results[i], prior) for i in present}
        newcomers = {i for i, record in records.items() if is_newcomer(record)}
        for j in range(NEEDS_PER_ROUND):
            true = market.topics[present] @ market.needs[r, j]
            observed = np.clip(true + market.observed_noise[r, j, present], 0, 1)
            top = _ranking(present, observed, records, newcomers, policy, weight, bool(market.learning[r, j]))
            hired = top[_pick(market.hire_draws[r, j])]
            result = _outcome(
                float(true[np.searchsorted(present, hired)]), float(market.teaching[hired]), market.outcome_noise[r, j]
            )
            results[hired].append(result)
            outcome, transferred = result.outcome, result.transferred
            assert outcome is not None and transferred is not None  # _outcome gives every figure
            outcomes_sum, outcomes_n = outcomes_sum + outcome, outcomes_n + 1
            if r >= rounds // 2:
                tally.gaps.append(transferred)
                tally.newcomer_exposure.append(sum(i in newcomers for i in top) / len(top))
                tally.newcomer_population.append(len(newcomers) / len(present))
                tally.best_in_top3.append(_best_teacher(present, true, market.teaching) in top[:3])
    return tally.summary()


def _ranking(
    present: np.ndarray,
    observed: np.ndarray,
    records: dict[int, TrackRecord],
    newcomers: set[int],
    policy: str,
    weight: float,
    learning: bool,
) -> list[int]:
    """The top TOP candidate ids under the policy."""
    scores = observed.copy()
    if policy != "semantic" and learning:
        scores *= np.array([record_factor(records[int(i)], weight) for i in present])
    order = np.argsort(-scores, kind="stable")[: TOP * 3]
    matches = [Match(id=int(present[k]), score=float(scores[k])) for k in order]
    if policy == "record_floor":
        matches = floor_newcomers(matches, newcomers, FLOOR_EVERY)
    return [m.id for m in matches[:TOP]]


def _pick(draw: float) -> int:
    return int(np.searchsorted(np.cumsum(HIRE_CHANCES), draw, side="right").clip(0, 2))


def _outcome(relevance: float, teaching: float, noise: np.ndarray) -> EngagementResult:
    gap = float(np.clip(0.15 + 0.35 * relevance + 0.45 * teaching + 0.1 * noise[0], 0, 1))
    kept = float(np.clip(0.4 + 0.5 * teaching + 0.1 * noise[1], 0, 1))
    health = float(20 * (teaching - 0.5) + 5 * noise[2])
    rating = int(np.clip(round(1 + 4 * gap + 0.5 * noise[3]), 1, 5))
    return EngagementResult(transferred=gap, kept=kept, health_change=health, rating=rating)


def _best_teacher(present: np.ndarray, true: np.ndarray, teaching: np.ndarray) -> int:
    relevant = np.flatnonzero(true >= RELEVANT_WITHIN * true.max())
    return int(present[relevant[np.argmax(teaching[present[relevant]])]])


def simulate(rounds: int = 200, seed: int = 0) -> dict[str, object]:
    """{"seed", "rounds", "policies": {policy: {gap_closed, newcomer_exposure_ratio, best_teacher_top3}}}."""
    if rounds < 2:
        raise ValueError(f"--rounds must be at least 2 (half of them let records form), got {rounds}")
    market = draw_market(rounds, seed)
    return {"seed": seed, "rounds": rounds, "policies": {policy: run_policy(market, policy) for policy in POLICIES}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.simulate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200, help="rounds of needs (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        report = simulate(args.rounds, args.seed)
    except ValueError as error:
        parser.error(str(error))
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"seed {report['seed']}, {report['rounds']} rounds (figures over the last half)")
    print(f"{'policy':<14}{'gap_closed':>12}{'newcomer_exposure':>20}{'best_teacher_top3':>20}")
    policies: dict[str, dict[str, float]] = report["policies"]  # type: ignore[assignment]  # simulate's shape
    for name, figures in policies.items():
        print(
            f"{name:<14}{figures['gap_closed']:>12.4f}{figures['newcomer_exposure_ratio']:>20.4f}"
            f"{figures['best_teacher_top3']:>20.4f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
