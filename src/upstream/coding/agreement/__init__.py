"""Agreement between coders, and between the machine and people.

Works on long-format judgements — one ``(item, coder, label)`` per row, where
not every coder codes every item — and answers "how far can these labels be
trusted?": percent agreement, Cohen's κ for every pair of coders, Fleiss' κ,
Krippendorff's α (nominal), majority labels with ties, each coder's agreement
with the majority of the *other* coders, and per-code precision/recall/F1 with a
confusion matrix against gold labels or the majority. A machine coder is one
more coder id. Optional bootstrap intervals resample items.

Start with :func:`agreement_report`; the single statistics are importable too.
"""

from upstream.coding.agreement.bootstrap import BootstrapIntervals
from upstream.coding.agreement.classification import CodeScores, Comparison, compare_labels
from upstream.coding.agreement.coders import CoderAgreement, coder_vs_majority, compare_coder
from upstream.coding.agreement.judgements import Judgements
from upstream.coding.agreement.majority import (
    MajorityLabel,
    leave_one_out_majority,
    majority_labels,
)
from upstream.coding.agreement.report import AgreementReport, AgreementSummary, agreement_report
from upstream.coding.agreement.statistics import (
    PairAgreement,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    pairwise_agreement,
    percent_agreement,
)

__all__ = [
    "AgreementReport",
    "AgreementSummary",
    "BootstrapIntervals",
    "CodeScores",
    "CoderAgreement",
    "Comparison",
    "Judgements",
    "MajorityLabel",
    "PairAgreement",
    "agreement_report",
    "coder_vs_majority",
    "cohen_kappa",
    "compare_coder",
    "compare_labels",
    "fleiss_kappa",
    "krippendorff_alpha",
    "leave_one_out_majority",
    "majority_labels",
    "pairwise_agreement",
    "percent_agreement",
]
