"""Score the taxonomy on labeled segments, as ../shared/eval/README.md defines it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .model import ANALYZED_LANGUAGES, CATEGORIES
from .scan import scan_text
from .taxonomy import Taxonomy, load_taxonomy
from .values import to_opp115

USER_CONTROL = "user_control"
MIN_SUPPORT = 5  # categories with fewer labeled segments are too noisy to enter macro-F1


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    text: str
    labels: frozenset[str]
    lang: str | None
    values: dict[str, frozenset[str]] | None = None  # OPP-115 attribute -> value names, where the file has them


@dataclass(frozen=True)
class Prediction:
    record: Record
    predicted: frozenset[str]
    rules: dict[str, tuple[str, ...]]  # category -> rule ids that fired
    values: dict[str, frozenset[str]] = field(default_factory=dict)  # OPP-115 attribute -> value names found
    findings: tuple = ()  # the findings behind the prediction, for explanations


@dataclass
class CategoryScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Evaluation:
    file: str
    predictions: list[Prediction]
    scores: dict[str, CategoryScore] = field(default_factory=dict)
    attribute_scores: dict[str, CategoryScore] = field(default_factory=dict)  # where the file has values

    @property
    def scored(self) -> list[str]:
        """Categories that enter macro-F1."""
        return [c for c, s in self.scores.items() if s.support >= MIN_SUPPORT]

    @property
    def macro_f1(self) -> float:
        scored = self.scored
        return sum(self.scores[c].f1 for c in scored) / len(scored) if scored else 0.0

    @property
    def micro_f1(self) -> float:
        total = CategoryScore(
            sum(s.tp for s in self.scores.values()),
            sum(s.fp for s in self.scores.values()),
            sum(s.fn for s in self.scores.values()),
        )
        return total.f1

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "segments": len(self.predictions),
            "micro_f1": round(self.micro_f1, 4),
            "macro_f1": round(self.macro_f1, 4),
            "categories": {c: s.to_dict() for c, s in self.scores.items()},
            **({"attributes": {a: s.to_dict() for a, s in self.attribute_scores.items()}} if self.attribute_scores else {}),
        }


def read_records(path: Path) -> list[Record]:
    """Labeled segments of a JSON Lines file; a malformed line is an InputError naming its number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError("not_found", f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("unreadable", f"{path}: cannot be read ({exc})") from None
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            labels = data["labels"]
            if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
                raise TypeError("labels must be a list of category ids")
            unknown = sorted(set(labels) - set(CATEGORIES) - {USER_CONTROL})
            if unknown:
                raise ValueError(f"unknown label {unknown[0]!r}")
            values = data.get("values")
            record = Record(
                str(data["id"]), str(data["text"]), frozenset(data["labels"]), data.get("lang"),
                None if values is None else {a: frozenset(v) for a, v in values.items()},
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError("bad_record", f"{path}:{number}: not a labeled segment ({exc})") from None
        records.append(record)
    return records


def predict(record: Record, taxonomy: Taxonomy) -> Prediction:
    language = record.lang if record.lang in ANALYZED_LANGUAGES else None
    result = scan_text(record.text, language=language, taxonomy=taxonomy)
    rules: dict[str, set[str]] = {}
    findings = tuple(f for f in result.findings if f.rule_id not in taxonomy.unscored)
    for finding in findings:
        rules.setdefault(finding.category, set()).add(finding.rule_id)
    return Prediction(
        record, frozenset(rules), {c: tuple(sorted(r)) for c, r in rules.items()}, opp115_values(findings), findings
    )


# OPP-115's attributes that the vocabularies give values for, and the stance every finding has.
OPP115_ATTRIBUTES = (
    "data_type", "purpose", "recipient", "audience", "choice_type", "access_type", "security_measure", "retention_period", "stance",
)
_STANCES = {"affirms": "Does", "denies": "Does Not"}


def opp115_values(findings) -> dict[str, frozenset[str]]:
    """The values of a segment's findings in OPP-115's vocabulary: attribute -> value names."""
    values: dict[str, set[str]] = {}
    for finding in findings:
        values.setdefault("stance", set()).add(_STANCES[finding.stance])
        for attribute, ids in finding.values.items():
            if attribute in OPP115_ATTRIBUTES:
                for value in ids:
                    name = to_opp115(attribute, value)
                    if name is not None:
                        values.setdefault(attribute, set()).add(name)
    return {a: frozenset(v) for a, v in values.items()}


def evaluate(path: Path, taxonomy: Taxonomy | None = None) -> Evaluation:
    """Predict every record of a labeled file and score the predictions per category."""
    taxonomy = taxonomy or load_taxonomy()
    records = read_records(path)
    predictions = [predict(r, taxonomy) for r in records]
    return score(str(path), predictions)


def scheme(predictions: list[Prediction]) -> tuple[str, ...]:
    """The file's categories: user_access and user_choice fold into user_control where the file uses it."""
    if any(USER_CONTROL in p.record.labels for p in predictions):
        kept = [c for c in CATEGORIES if c not in ("user_choice", "user_access")]
        return tuple(kept[:2] + [USER_CONTROL] + kept[2:])
    return CATEGORIES


def folded(categories: frozenset[str], categories_scheme: tuple[str, ...]) -> frozenset[str]:
    if USER_CONTROL not in categories_scheme:
        return categories
    return frozenset(USER_CONTROL if c in ("user_choice", "user_access") else c for c in categories)


def score(file: str, predictions: list[Prediction]) -> Evaluation:
    categories = scheme(predictions)
    scores = {c: CategoryScore() for c in categories}
    for prediction in predictions:
        gold = folded(prediction.record.labels, categories)
        guess = folded(prediction.predicted, categories)
        for category in categories:
            if category in guess and category in gold:
                scores[category].tp += 1
            elif category in guess:
                scores[category].fp += 1
            elif category in gold:
                scores[category].fn += 1
    return Evaluation(file, predictions, scores, score_values(predictions))


def score_values(predictions: list[Prediction]) -> dict[str, CategoryScore]:
    """Per OPP-115 attribute, micro counts over (segment, value) pairs, where the file carries values."""
    if not any(p.record.values is not None for p in predictions):
        return {}
    scores = {a: CategoryScore() for a in OPP115_ATTRIBUTES}
    for prediction in predictions:
        gold_values = prediction.record.values or {}
        for attribute, score in scores.items():
            gold = gold_values.get(attribute, frozenset())
            guess = prediction.values.get(attribute, frozenset())
            score.tp += len(gold & guess)
            score.fp += len(guess - gold)
            score.fn += len(gold - guess)
    return scores


def errors_of(evaluation: Evaluation, category: str) -> tuple[list[Prediction], list[Prediction]]:
    """False positives and false negatives of one category."""
    categories = scheme(evaluation.predictions)
    false_positives, false_negatives = [], []
    for prediction in evaluation.predictions:
        gold = folded(prediction.record.labels, categories)
        guess = folded(prediction.predicted, categories)
        if category in guess and category not in gold:
            false_positives.append(prediction)
        elif category in gold and category not in guess:
            false_negatives.append(prediction)
    return false_positives, false_negatives


def rules_for(prediction: Prediction, category: str) -> tuple[str, ...]:
    if category == USER_CONTROL:
        return prediction.rules.get("user_choice", ()) + prediction.rules.get("user_access", ())
    return prediction.rules.get(category, ())
