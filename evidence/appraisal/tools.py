"""Risk-of-bias tools: their domains and judgement scales, and how each judgement is drawn.

Every judgement maps to one of four *levels* that plots colour and sensitivity analyses use:
``low``, ``some`` (some concerns / moderate / unclear), ``high`` (high / serious / critical) and
``none`` (no information). The tools' own words are kept in the assessment files.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS: tuple[str, ...] = ("low", "some", "high", "none")
LEVEL_COLOURS: dict[str, str] = {"low": "#02C100", "some": "#E2DF07", "high": "#BF0000", "none": "#4EA1F7"}
"""robvis's default palette (low green, some concerns yellow, high red, no information blue)."""
LEVEL_SYMBOLS: dict[str, str] = {"low": "+", "some": "\u2212", "high": "\u00d7", "none": "?"}


@dataclass(frozen=True)
class Domain:
    code: str
    label: str


@dataclass(frozen=True)
class Tool:
    code: str
    name: str
    reference: str
    domains: tuple[Domain, ...]
    judgements: dict[str, str]
    """judgement as written -> level"""
    overall_judgements: dict[str, str]

    def domain(self, code: str) -> Domain:
        for d in self.domains:
            if d.code == code:
                return d
        raise KeyError(code)

    @property
    def domain_codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.domains) + ("overall",)

    def level(self, domain: str, judgement: str) -> str:
        scale = self.overall_judgements if domain == "overall" else self.judgements
        return scale[judgement]

    def scale(self, domain: str) -> tuple[str, ...]:
        return tuple(self.overall_judgements if domain == "overall" else self.judgements)


_ROB2 = {"low": "low", "some concerns": "some", "high": "high"}
_ROBINS = {"low": "low", "moderate": "some", "serious": "high", "critical": "high", "no information": "none"}
_CHECK = {"yes": "low", "unclear": "some", "no": "high", "not applicable": "none"}
_MINORS_ITEM = {"2": "low", "1": "some", "0": "high"}
_OVERALL3 = {"low": "low", "moderate": "some", "high": "high"}

TOOLS: dict[str, Tool] = {
    t.code: t
    for t in (
        Tool(
            "rob2", "RoB 2", "Sterne et al. BMJ 2019;366:l4898",
            (
                Domain("D1", "Randomisation process"),
                Domain("D2", "Deviations from intended interventions"),
                Domain("D3", "Missing outcome data"),
                Domain("D4", "Measurement of the outcome"),
                Domain("D5", "Selection of the reported result"),
            ),
            _ROB2, _ROB2,
        ),
        Tool(
            "robins-i", "ROBINS-I", "Sterne et al. BMJ 2016;355:i4919",
            (
                Domain("D1", "Bias due to confounding"),
                Domain("D2", "Bias in selection of participants"),
                Domain("D3", "Bias in classification of interventions"),
                Domain("D4", "Bias due to deviations from intended interventions"),
                Domain("D5", "Bias due to missing data"),
                Domain("D6", "Bias in measurement of outcomes"),
                Domain("D7", "Bias in selection of the reported result"),
            ),
            _ROBINS, _ROBINS,
        ),
        Tool(
            "minors", "MINORS", "Slim et al. ANZ J Surg 2003;73:712-716",
            (
                Domain("M1", "A clearly stated aim"),
                Domain("M2", "Inclusion of consecutive patients"),
                Domain("M3", "Prospective collection of data"),
                Domain("M4", "Endpoints appropriate to the aim of the study"),
                Domain("M5", "Unbiased assessment of the study endpoint"),
                Domain("M6", "Follow-up period appropriate to the aim of the study"),
                Domain("M7", "Loss to follow-up less than 5%"),
                Domain("M8", "Prospective calculation of the study size"),
                Domain("M9", "An adequate control group"),
                Domain("M10", "Contemporary groups"),
                Domain("M11", "Baseline equivalence of groups"),
                Domain("M12", "Adequate statistical analyses"),
            ),
            _MINORS_ITEM, _OVERALL3,
        ),
        Tool(
            "jbi-case-series", "JBI checklist for case series", "Munn et al. JBI Evid Synth 2020;18:2127-2133",
            (
                Domain("Q1", "Clear criteria for inclusion"),
                Domain("Q2", "Condition measured in a standard, reliable way"),
                Domain("Q3", "Valid methods for identification of the condition"),
                Domain("Q4", "Consecutive inclusion of participants"),
                Domain("Q5", "Complete inclusion of participants"),
                Domain("Q6", "Clear reporting of demographics"),
                Domain("Q7", "Clear reporting of clinical information"),
                Domain("Q8", "Outcomes or follow-up results clearly reported"),
                Domain("Q9", "Clear reporting of the presenting site or clinic demographics"),
                Domain("Q10", "Appropriate statistical analysis"),
            ),
            _CHECK, _OVERALL3,
        ),
        Tool(
            "nos", "Newcastle-Ottawa Scale (cohort)", "Wells et al., Ottawa Hospital Research Institute",
            (
                Domain("S", "Selection (0-4 stars)"),
                Domain("C", "Comparability (0-2 stars)"),
                Domain("O", "Outcome (0-3 stars)"),
            ),
            {"good": "low", "fair": "some", "poor": "high"}, {"good": "low", "fair": "some", "poor": "high"},
        ),
    )
}
"""Supported tools by code. MINORS items 9-12 apply to comparative studies only (a non-comparative
study leaves them out); MINORS, JBI and NOS have no published overall rule, so the reviewer writes
the ``overall`` judgement (low / moderate / high) with its reason, as for RoB 2 and ROBINS-I."""


def tool(code: str) -> Tool:
    """The tool named ``code`` (case-insensitive), or ``KeyError`` listing the supported ones."""
    try:
        return TOOLS[code.strip().lower()]
    except KeyError:
        raise KeyError(f"unknown risk-of-bias tool {code!r}; expected one of {sorted(TOOLS)}") from None
