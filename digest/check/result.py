"""One check's outcome: pass, warning or fail, and why, in words a sender can act on."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

PASS, WARNING, FAIL = "pass", "warning", "fail"


@dataclass(frozen=True)
class Result:
    name: str  # short and stable: "html-size", "dkim-verifies", ...
    status: str  # PASS, WARNING or FAIL
    detail: str  # why, one line
    data: dict = field(default_factory=dict)  # figures for --json (score, rules, sizes)

    def as_dict(self) -> dict:
        return asdict(self)


def passed(name: str, detail: str, **data) -> Result:
    return Result(name, PASS, detail, data)


def warning(name: str, detail: str, **data) -> Result:
    return Result(name, WARNING, detail, data)


def failed(name: str, detail: str, **data) -> Result:
    return Result(name, FAIL, detail, data)


@dataclass
class AudienceCheck:
    """Every check of one audience's issue, as sent to `recipient`."""

    audience: str
    date: str
    recipient: str
    results: list[Result] = field(default_factory=list)

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if r.status == FAIL]

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict:
        return {"audience": self.audience, "date": self.date, "recipient": self.recipient,
                "ok": self.ok, "checks": [r.as_dict() for r in self.results]}
