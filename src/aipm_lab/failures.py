"""Failure-mode mapping for the ticket-intent classifier (part 5).

Start from where the model fails, not from its average: error rates by slice with an
interval each, a probe set of inputs the training data never showed (another language,
contradictory text, gibberish, empty messages, very long ones, requests no queue serves),
an FMEA table that turns each failure mode into a risk priority number, and the share of
each mode's errors that a confidence threshold sends to a person.

Examples
--------
>>> from aipm_lab import datasets, failures
>>> from aipm_lab.case import intents
>>> df = datasets.load("support_tickets", seed=2026)                      # doctest: +SKIP
>>> train, test = intents.split(df, seed=2026)                             # doctest: +SKIP
>>> model = intents.make_model().fit(train["text"], train["intent"])       # doctest: +SKIP
>>> table = failures.slice_errors(errors, failures.ticket_slices(test))    # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aipm_lab.case import intents
from aipm_lab.datasets import tickets
from aipm_lab.estimates import accuracy_interval

NO_INTENT = "none"
"""Intent of a probe that no queue serves: any routing of it is an error."""

LENGTH_EDGES = (3, 10, 20)
"""Upper word counts of the message-length bands (the last band is open-ended)."""

PROBE_KINDS = ("other_language", "contradictory", "gibberish", "empty_or_emoji", "very_long", "out_of_scope")
"""The kinds of input :func:`probe_set` writes, in order."""

OCCURRENCE_EDGES = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50)
"""Errors per 1,000 tickets at which the occurrence score steps up by one (1 below 0.1, 10 from 50)."""


def length_band(texts, edges=LENGTH_EDGES) -> pd.Series:
    """Message length in words, as ordered bands ("0-3 words", "4-10 words", ...).

    Parameters
    ----------
    texts : array-like of str
    edges : tuple of int, default :data:`LENGTH_EDGES`
        Upper word count of each closed band, increasing.

    Returns
    -------
    pandas.Series
        Ordered categorical, named ``length``, same index as ``texts`` when it is a Series.

    Examples
    --------
    >>> length_band(["card??", "my card was declined at the shop today"], edges=(3,)).tolist()
    ['0-3 words', '4+ words']
    """
    texts = pd.Series(texts) if not isinstance(texts, pd.Series) else texts
    if list(edges) != sorted(set(edges)) or not edges or edges[0] < 0:
        raise ValueError(f"edges must be increasing non-negative word counts, got {edges}")
    lows = [0, *(e + 1 for e in edges)]
    labels = [f"{lo}-{hi} words" for lo, hi in zip(lows, edges)] + [f"{lows[-1]}+ words"]
    words = texts.astype(str).str.split().str.len()
    band = pd.cut(words, [-1, *edges, np.inf], labels=labels)
    return band.rename("length")


def ticket_slices(df: pd.DataFrame) -> pd.DataFrame:
    """The slices a ticket error analysis starts from, one column each.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows of the ``support_tickets`` table.

    Returns
    -------
    pandas.DataFrame
        Same index as ``df``: ``language``, ``length`` (:func:`length_band`) and ``channel``
        (categories), then the boolean traits ``typo``, ``vague`` and ``two_requests`` of
        :func:`aipm_lab.case.intents.message_traits`.
    """
    traits = intents.message_traits(df)
    return pd.concat(
        [df[["language"]], length_band(df[intents.TEXT]), df[["channel"]],
         traits[["typo", "vague", "two_requests"]]],
        axis=1,
    )


def slice_errors(errors, slices: pd.DataFrame, confidence: float = 0.95, method: str = "wilson") -> pd.DataFrame:
    """Error rate of every slice with its interval, next to the overall rate.

    Parameters
    ----------
    errors : array-like of bool
        True where the model was wrong, in the row order of ``slices``.
    slices : pandas.DataFrame
        One column per slicing variable. A boolean column is one slice (its True rows,
        labelled by the column name); any other column gives one slice per value
        (labelled ``column=value``).
    confidence : float, default 0.95
        Coverage of the intervals.
    method : str, default "wilson"
        Interval method of :func:`aipm_lab.estimates.accuracy_interval`.

    Returns
    -------
    pandas.DataFrame
        Indexed by slice label, the last row ``overall``; columns ``n``, ``errors``,
        ``error_rate``, ``low``, ``high``, ``share`` (of all rows) and ``worse``: True when
        the whole interval lies above the overall error rate, so the data show the slice is
        worse and not only that it might be. Slices with no rows are left out.

    Examples
    --------
    >>> table = slice_errors([1, 1, 0, 0, 0, 0], pd.DataFrame({"short": [True, True] + [False] * 4}))
    >>> table[["n", "errors", "error_rate"]]
             n  errors  error_rate
    short    2       2    1.000000
    overall  6       2    0.333333
    """
    errors = np.asarray(errors)
    if errors.ndim != 1 or not np.isin(errors, (0, 1)).all():
        raise ValueError("errors must be a 1-D array of True/False (or 1/0), one per row")
    errors = errors.astype(bool)
    if len(slices) != len(errors):
        raise ValueError(f"slices has {len(slices)} rows, errors {len(errors)}")
    masks = {}
    for column in slices.columns:
        values = slices[column]
        if values.dtype == bool:
            masks[str(column)] = values.to_numpy()
        else:
            for value in values.dropna().unique().tolist():
                masks[f"{column}={value}"] = (values == value).to_numpy()
    masks["overall"] = np.ones(len(errors), bool)
    rows = {}
    for label, mask in masks.items():
        n, k = int(mask.sum()), int(errors[mask].sum())
        if n == 0:
            continue
        low, high = accuracy_interval(k, n, confidence=confidence, method=method)
        rows[label] = {"n": n, "errors": k, "error_rate": k / n, "low": low, "high": high, "share": n / len(errors)}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table["worse"] = table["low"] > table.loc["overall", "error_rate"]
    return table


# Probe templates. Translations carry the intent a customer meant, so a wrong queue is an
# error; the other kinds have no queue that serves them (NO_INTENT).
_OTHER_LANGUAGE = (
    ("Ma carte a été refusée chez {merchant}.", "card_declined"),
    ("J'ai perdu ma carte, pouvez-vous la bloquer ?", "lost_card"),
    ("Je voudrais un remboursement pour ma commande.", "refund"),
    ("Je veux fermer mon compte.", "account_closure"),
    ("Meine Karte wurde bei {merchant} abgelehnt.", "card_declined"),
    ("Ich kann mich nicht in mein Konto einloggen.", "login"),
    ("Wann kommt meine neue Karte an?", "card_delivery"),
    ("Minha transferência ainda não chegou.", "transfer_delay"),
    ("Quero um reembolso da compra em {merchant}.", "refund"),
    ("Não reconheço uma cobrança de {amount}.", "disputed_charge"),
    ("Non riesco ad accedere al mio conto.", "login"),
    ("Perché mi avete addebitato una commissione?", "fees"),
)
# The customer states one request, then takes it back for another: the second is what they want.
_CORRECTIONS = ("Actually no, forget that.", "Sorry, ignore that, it's fine now.", "Wait, that's sorted.")
_OUT_OF_SCOPE = (
    "Do you offer personal loans?",
    "Can I add my card to my phone wallet?",
    "What are your opening hours?",
    "Is the app available on tablets?",
    "I love the new app, thanks!",
    "Can my account earn interest?",
    "Which card gives the best cashback?",
    "Can I pay my rent with my card?",
    "Do you have a business account?",
    "How do I invest the money in my account?",
    "Can I get a card for my teenager?",
    "Is my money insured if Paylark goes bust?",
)
_EMPTY = ("", " ", "?", "???", "...", "!!", "🙂", "🙏🙏", "👍", "😡😡😡", "💳❓")
_CHATTER = (
    "I went to {merchant} {day} with {person} and we bought a few things for the house.",
    "Then we stopped at {merchant} on the way back, which took ages.",
    "I have been a customer for years and usually everything works fine.",
    "My phone battery was almost dead so I could not check the app straight away.",
    "I tried calling but the line was busy, so I am writing instead.",
    "It has been a long week and I really do not have time for this.",
)


def _fill(template: str, rng: np.random.Generator) -> str:
    """Fill a ticket template's slots with the generator's own fillers."""
    def pick(options):
        return options[int(rng.integers(len(options)))]

    return template.format(
        merchant=pick(tickets.MERCHANTS), day=pick(tickets.DAYS["en"]), card=pick(tickets.CARDS),
        person=pick(tickets.PEOPLE["en"]), bank=pick(tickets.BANKS), detail=pick(tickets.DETAILS),
        fee=pick(tickets.FEES), n=int(rng.integers(2, 11)), amount=f"${rng.integers(5, 400)}.{rng.integers(10, 99)}",
    )


def _probe(kind: str, rng: np.random.Generator) -> tuple[str, str]:
    labels = tickets.LABELS
    if kind == "other_language":
        text, intent = _OTHER_LANGUAGE[int(rng.integers(len(_OTHER_LANGUAGE)))]
        return _fill(text, rng), intent
    if kind == "contradictory":
        first, second = rng.choice(len(labels), size=2, replace=False)
        said = _fill(tickets.INTENTS[labels[first]].english[0], rng)
        correction = _CORRECTIONS[int(rng.integers(len(_CORRECTIONS)))]
        wanted = _fill(tickets.INTENTS[labels[second]].english[0], rng)
        return f"{said} {correction} {wanted}", labels[second]
    if kind == "gibberish":
        words = ["".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), size=rng.integers(3, 9)))
                 for _ in range(int(rng.integers(2, 7)))]
        return " ".join(words), NO_INTENT
    if kind == "empty_or_emoji":
        return _EMPTY[int(rng.integers(len(_EMPTY)))], NO_INTENT
    if kind == "very_long":
        label = labels[int(rng.integers(len(labels)))]
        chatter = [_fill(_CHATTER[i], rng) for i in rng.permutation(len(_CHATTER))]
        request = _fill(tickets.INTENTS[label].english[0], rng)
        return " ".join([*chatter, *chatter[:2], f"Anyway: {request}"]), label
    if kind == "out_of_scope":
        return _OUT_OF_SCOPE[int(rng.integers(len(_OUT_OF_SCOPE)))], NO_INTENT
    raise ValueError(f"unknown probe kind {kind!r}; kinds are {', '.join(PROBE_KINDS)}")


def probe_set(seed: int, n_per_kind: int = 30, kinds=PROBE_KINDS) -> pd.DataFrame:
    """Inputs the training data never showed, for an adversarial and out-of-distribution test.

    Parameters
    ----------
    seed : int
        Seed of the only random source; the same seed gives the same probes.
    n_per_kind : int, default 30
        Probes of each kind (templates repeat, with other slot fillers, when it exceeds them).
    kinds : iterable of str, default :data:`PROBE_KINDS`
        ``other_language`` (French, German, Portuguese or Italian), ``contradictory`` (one
        request, taken back, then another), ``gibberish``, ``empty_or_emoji``, ``very_long``
        (a real request at the end of a long story) and ``out_of_scope`` (a request in the
        product's words that no queue serves).

    Returns
    -------
    pandas.DataFrame
        Columns ``kind``, ``text`` and ``intent``: the intent the customer meant, or
        :data:`NO_INTENT` when no queue serves the message, so any routing is an error.

    Examples
    --------
    >>> probes = probe_set(seed=1, n_per_kind=2)
    >>> probes.groupby("kind", sort=False).size().to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'other_language': 2, 'contradictory': 2, 'gibberish': 2, 'empty_or_emoji': 2, 'very_long': 2,
     'out_of_scope': 2}
    """
    if n_per_kind < 1:
        raise ValueError(f"n_per_kind must be at least 1, got {n_per_kind}")
    rng = np.random.default_rng(seed)
    rows = [(kind, *_probe(kind, rng)) for kind in kinds for _ in range(n_per_kind)]
    return pd.DataFrame(rows, columns=["kind", "text", "intent"])


def vocabulary_coverage(model, texts) -> np.ndarray:
    """Share of each message's words that the fitted model has a weight for.

    A cheap out-of-distribution signal: a message in another language, or gibberish, is
    made mostly of words the model never saw, whatever confidence the model then reports.

    Parameters
    ----------
    model : Pipeline or TfidfVectorizer
        A fitted :func:`aipm_lab.case.intents.make_model` pipeline (its first step is used) or a
        fitted vectorizer.
    texts : array-like of str

    Returns
    -------
    numpy.ndarray of float
        One share per message, 0 for a message with no words at all.

    Examples
    --------
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> vec = TfidfVectorizer().fit(["my card was declined", "refund please"])
    >>> vocabulary_coverage(vec, ["card declined", "ma carte refusée", ""]).tolist()
    [1.0, 0.0, 0.0]
    """
    vectorizer = model.steps[0][1] if hasattr(model, "steps") else model
    if not hasattr(vectorizer, "vocabulary_"):
        raise ValueError("model must be fitted: a TfidfVectorizer or a pipeline that starts with one")
    # scikit-learn has no "share of known tokens"; the vectorizer's own analyzer keeps the
    # tokenising identical to what the model sees.
    analyze, known = vectorizer.build_analyzer(), vectorizer.vocabulary_
    shares = []
    for text in texts:
        tokens = analyze(str(text))
        shares.append(sum(t in known for t in tokens) / len(tokens) if tokens else 0.0)
    return np.array(shares, dtype=float)


TICKET_MODES = pd.DataFrame(
    [
        # mode, what the customer sees, severity 1-10 (a judgement), fallback, assumed traffic share
        ("vague", "sent to a sibling queue; an agent re-routes and the reply comes a day late", 4,
         "ask one clarifying question with the family's intents as buttons", None),
        ("typo", "misrouted like any other error, more often", 5,
         "train on misspelt copies or character n-grams", None),
        ("spanish", "misrouted, then read by an agent who may not read Spanish", 6,
         "a language check routes Spanish to the bilingual queue", None),
        ("few_words", "sent to a plausible queue that guessed the wrong request", 5,
         "show the two or three likeliest intents as options", None),
        ("two_requests", "one request answered, the other silently dropped", 6,
         "detect a second request and open a second ticket", None),
        ("other_language", "a reply in a language the customer may not read, from the wrong queue", 7,
         "a language check sends it to a person with translation", 0.01),
        ("contradictory", "Paylark acts on the request the customer took back (a found card gets blocked)", 8,
         "a rule on correction phrases ('actually', 'ignore that') sends it to a person", 0.01),
        ("gibberish", "a canned answer to noise", 2, "ask the customer to rephrase", 0.002),
        ("empty_or_emoji", "a canned answer to an empty message", 2, "ask what they need", 0.005),
        ("very_long", "the request at the end of a long story is lost", 6,
         "route long messages to the email queue, where agents read them whole", 0.01),
        ("out_of_scope", "an answer from a queue that cannot help with the question", 5,
         "a distance-to-training check sends it to the general queue", 0.03),
    ],
    columns=["mode", "effect", "severity", "fallback", "assumed_traffic_share"],
).set_index("mode")
"""Paylark's failure modes of the intent classifier: the effect on the customer, a severity
(the PM's judgement, 1 to 10), a fallback, and, for the probe kinds that the tickets table
cannot count, an assumed share of traffic (a guess to replace with a count from the logs)."""


def failure_frame(model, test: pd.DataFrame, probes: pd.DataFrame) -> pd.DataFrame:
    """One row per test ticket and per probe: the answer, its confidence, and its failure modes.

    Parameters
    ----------
    model : Pipeline
        A fitted :func:`aipm_lab.case.intents.make_model` pipeline.
    test : pandas.DataFrame
        Held-out rows of the ``support_tickets`` table.
    probes : pandas.DataFrame
        Output of :func:`probe_set`.

    Returns
    -------
    pandas.DataFrame
        Test rows first (their index kept), then probes (index continuing after the largest
        test index). Columns ``source`` (``ticket`` or ``probe``), ``text``, ``intent``,
        ``predicted``, ``confidence`` (top class probability), ``error``, ``coverage``
        (:func:`vocabulary_coverage`), then one boolean column per mode of
        :data:`TICKET_MODES`: the traits of :func:`aipm_lab.case.intents.message_traits`
        (``few_words`` is three words or fewer) on tickets, the probe kinds on probes.
    """
    unknown = set(probes["kind"]) - set(PROBE_KINDS)
    if unknown:
        raise ValueError(f"unknown probe kinds {sorted(unknown)}")
    start = int(test.index.max()) + 1 if len(test) else 0
    rows = pd.concat(
        [test[[intents.TEXT, intents.TARGET]].assign(source="ticket"),
         probes[["text", "intent"]].set_axis(range(start, start + len(probes))).assign(source="probe")]
    )
    proba = model.predict_proba(rows[intents.TEXT].astype(str))
    frame = pd.DataFrame(
        {"source": rows["source"], "text": rows[intents.TEXT], "intent": rows[intents.TARGET],
         "predicted": model.classes_[proba.argmax(axis=1)], "confidence": proba.max(axis=1)},
        index=rows.index,
    )
    frame["error"] = frame["predicted"] != frame["intent"]
    frame["coverage"] = vocabulary_coverage(model, frame["text"])
    traits = intents.message_traits(test)
    kinds = pd.Series(probes["kind"].to_numpy(), index=frame.index[len(test):])
    for mode in TICKET_MODES.index:
        if mode in PROBE_KINDS:
            flags = kinds.eq(mode)
            frame[mode] = flags.reindex(frame.index, fill_value=False)
        else:
            frame[mode] = traits[mode].reindex(frame.index, fill_value=False)
    return frame


def mode_masks(frame: pd.DataFrame) -> dict:
    """Mode name -> boolean mask over the rows of a :func:`failure_frame` table."""
    return {mode: frame[mode].to_numpy(bool) for mode in TICKET_MODES.index}


def mode_stats(errors, confidence, modes: dict, threshold: float) -> pd.DataFrame:
    """Per failure mode: size, error rate, and how often its errors slip past a threshold.

    Parameters
    ----------
    errors : array-like of bool
        True where the model was wrong.
    confidence : array-like of float
        The model's confidence in its answer (the top class probability).
    modes : dict of str to array-like of bool
        Mode name -> which rows belong to it (modes may overlap).
    threshold : float
        Answers with confidence at or above it are automated; the rest go to a person.

    Returns
    -------
    pandas.DataFrame
        Indexed by mode: ``n``, ``errors``, ``error_rate`` and ``confident_error_share``, the
        share of the mode's errors at or above ``threshold`` (they reach the customer unseen;
        NaN when the mode has no errors).
    """
    errors, confidence = _errors_and_confidence(errors, confidence)
    rows = {}
    for name, mask in modes.items():
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != errors.shape:
            raise ValueError(f"mode {name!r} has {mask.size} flags, errors {errors.size}")
        wrong = errors & mask
        n, k = int(mask.sum()), int(wrong.sum())
        rows[name] = {"n": n, "errors": k, "error_rate": k / n if n else np.nan,
                      "confident_error_share": (confidence[wrong] >= threshold).mean() if k else np.nan}
    return pd.DataFrame.from_dict(rows, orient="index")


def occurrence_score(errors_per_1000):
    """FMEA occurrence on a 1 to 10 scale from errors per 1,000 tickets.

    The score steps up at each of :data:`OCCURRENCE_EDGES` (0.1, 0.2, 0.5, 1, 2, 5, 10, 20,
    50): about a doubling per step, the log-like bands FMEA tables use, so a mode that fails
    ten times as often scores about three points higher.

    Examples
    --------
    >>> occurrence_score([0.05, 0.1, 3, 50, 400]).tolist()
    [1, 2, 6, 10, 10]
    """
    rate = np.asarray(errors_per_1000, dtype=float)
    if np.isnan(rate).any() or (rate < 0).any():
        raise ValueError("errors per 1,000 must be numbers at or above 0")
    return 1 + np.searchsorted(OCCURRENCE_EDGES, rate, side="right")


def detectability_score(confident_error_share):
    """FMEA detectability on a 1 to 10 scale: 10 when no error of the mode is caught.

    ``1 + round(9 * share)`` where share is the part of the mode's errors that the model
    is confident about (they pass the threshold and reach the customer). Halves round up,
    so the score does not depend on numpy's round-half-to-even.

    Examples
    --------
    >>> detectability_score([0.0, 0.5, 1.0]).tolist()
    [1, 6, 10]
    """
    share = np.asarray(confident_error_share, dtype=float)
    if np.isnan(share).any() or ((share < 0) | (share > 1)).any():
        raise ValueError("confident_error_share must be shares between 0 and 1")
    # A small tolerance so 9 * share that is a half up to float error rounds up.
    return 1 + np.floor(9 * share + 0.5 + 1e-9).astype(int)


def fmea_table(modes: pd.DataFrame) -> pd.DataFrame:
    """Failure mode and effects analysis: risk priority number per mode, highest first.

    Parameters
    ----------
    modes : pandas.DataFrame
        Indexed by failure mode, with columns ``effect`` (what the customer sees),
        ``severity`` (1 to 10, a judgement), ``fallback`` (what the product does instead),
        ``traffic_share`` (share of tickets in the mode), ``error_rate`` and
        ``confident_error_share`` (as in :func:`mode_stats`).

    Returns
    -------
    pandas.DataFrame
        The input with ``errors_per_1000`` (traffic share × error rate × 1,000),
        ``occurrence`` (:func:`occurrence_score`), ``detectability``
        (:func:`detectability_score`) and ``rpn`` = severity × occurrence × detectability,
        sorted by ``rpn`` descending, then by errors per 1,000 descending, then by name.
    """
    needed = ["effect", "severity", "fallback", "traffic_share", "error_rate", "confident_error_share"]
    missing = [c for c in needed if c not in modes.columns]
    if missing:
        raise ValueError(f"modes is missing the columns {missing}")
    severity = modes["severity"].to_numpy()
    if not np.isin(severity, np.arange(1, 11)).all():
        raise ValueError("severity must be whole numbers from 1 to 10")
    table = modes.copy()
    table["errors_per_1000"] = table["traffic_share"] * table["error_rate"] * 1000
    table["occurrence"] = occurrence_score(table["errors_per_1000"])
    # A mode with no errors has nothing to detect: score it as fully caught.
    table["detectability"] = detectability_score(table["confident_error_share"].fillna(0.0))
    table["rpn"] = table["severity"] * table["occurrence"] * table["detectability"]
    table = table.rename_axis(table.index.name or "mode").reset_index()
    table = table.sort_values(["rpn", "errors_per_1000", table.columns[0]], ascending=[False, False, True])
    return table.set_index(table.columns[0])


def caught_by_threshold(errors, confidence, modes: dict, thresholds) -> pd.DataFrame:
    """Share of each mode's errors sent to a person (confidence below the threshold).

    Parameters
    ----------
    errors, confidence, modes
        As in :func:`mode_stats`.
    thresholds : float or array-like of float

    Returns
    -------
    pandas.DataFrame
        One row per threshold (index ``threshold``), one column per mode; NaN for a mode with
        no errors.
    """
    errors, confidence = _errors_and_confidence(errors, confidence)
    thresholds = np.atleast_1d(np.asarray(thresholds, dtype=float))
    out = {}
    for name, mask in modes.items():
        wrong = confidence[errors & np.asarray(mask, dtype=bool)]
        out[name] = [(wrong < t).mean() if wrong.size else np.nan for t in thresholds]
    return pd.DataFrame(out, index=pd.Index(thresholds, name="threshold"))


def automation_at(errors, confidence, threshold: float) -> dict:
    """What a confidence threshold does to all traffic.

    Returns
    -------
    dict
        ``automation_rate`` (share answered without a person), ``error_rate_automated``
        (errors among those), ``good_to_people`` (share of the model's correct answers that
        still go to a person) and ``errors_caught`` (share of all errors that go to a person).

    Examples
    --------
    >>> automation_at([False, False, True, True], [0.9, 0.4, 0.8, 0.3], 0.5)
    {'automation_rate': 0.5, 'error_rate_automated': 0.5, 'good_to_people': 0.5, 'errors_caught': 0.5}
    """
    errors, confidence = _errors_and_confidence(errors, confidence)
    auto = confidence >= threshold

    def share(part, whole):
        return float(part.sum() / whole.sum()) if whole.sum() else float("nan")

    return {"automation_rate": float(auto.mean()), "error_rate_automated": share(errors & auto, auto),
            "good_to_people": share(~errors & ~auto, ~errors), "errors_caught": share(errors & ~auto, errors)}


def plot_threshold_catch(errors, confidence, modes: dict, threshold: float, traffic=None, ax=None):
    """Bar chart: share of each mode's errors a threshold sends to a person.

    The title carries the automation rate and the share of correct answers sent to people at
    that threshold, the price of the catch, measured on the ``traffic`` rows (all rows when
    None; pass the real tickets' mask when probes are appended to them).

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(7, 3.6))[1]
    caught = caught_by_threshold(errors, confidence, modes, threshold).iloc[0]
    rows = slice(None) if traffic is None else np.asarray(traffic, dtype=bool)
    at = automation_at(np.asarray(errors)[rows], np.asarray(confidence)[rows], threshold)
    colors = ["tab:green" if v >= 0.5 else "tab:red" for v in caught.fillna(0)]
    ax.barh(caught.index, caught.fillna(0), color=colors)
    for y, v in enumerate(caught):
        ax.text(min(v, 0.88) + 0.01 if v == v else 0.01, y, f"{v:.0%}" if v == v else "no errors", va="center")
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the mode's errors sent to a person (0 to 1; red: under half)")
    ax.set_ylabel("failure mode")
    ax.set_title(f"Threshold {threshold:.2f}: {at['automation_rate']:.0%} of tickets automated, "
                 f"{at['good_to_people']:.0%} of correct ones sent to people", fontsize=10)
    return ax


def _errors_and_confidence(errors, confidence):
    errors = np.asarray(errors)
    confidence = np.asarray(confidence, dtype=float)
    if errors.ndim != 1 or not np.isin(errors, (0, 1)).all():
        raise ValueError("errors must be a 1-D array of True/False (or 1/0)")
    if confidence.shape != errors.shape:
        raise ValueError(f"confidence has shape {confidence.shape}, errors {errors.shape}")
    if np.isnan(confidence).any() or ((confidence < 0) | (confidence > 1)).any():
        raise ValueError("confidence must be probabilities between 0 and 1")
    return errors.astype(bool), confidence
