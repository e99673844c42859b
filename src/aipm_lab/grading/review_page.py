"""The review page: an instructor scores the written answers of a graded cohort in the browser.

``aipm-lab review GRADES_DIR`` serves one page on 127.0.0.1 (a free port, printed). It shows
one written question at a time: its task and rubric, then, for every learner who answered,
their text beside their own computed answers (so the reviewer sees whether the memo follows
from that learner's numbers). Ticking a criterion or leaving the comment box saves at once
into ``GRADES_DIR/reviews.sqlite`` (:class:`~aipm_lab.grading.reviews.ReviewStore`: a save
started from an older version is refused with a message, never a silent overwrite), and
``grades.csv``, ``grades.json``, the report and the feedback pages are written again from
``grades.json``, the reviews and ``run.json`` with :func:`~aipm_lab.grading.report.write_all`
(nothing is graded again). Stopping and starting again resumes where the store is.

Why a small page served by the standard library's :mod:`http.server` and not a JupyterLab
notebook with ipywidgets: the reviewer needs no Jupyter server or kernel (an instructor
grading on a laptop may have neither running; widget state lives in a kernel and is lost
with it, while here every click is a row in SQLite at once); the page is plain HTML with a
few lines of script, so it is tested in Chromium in about a second instead of the tens of
seconds JupyterLab takes to start; and it adds no dependency. Everything from a submission
is HTML-escaped. The server listens on 127.0.0.1 only and every request must carry the
random token of the printed address, so another local user or a web page cannot read or
write reviews.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from aipm_lab.grading.feedback import MAX_TEXT, html_text
from aipm_lab.grading.files import locked
from aipm_lab.grading.results import GradeResult, GradingError
from aipm_lab.grading.reviews import ReviewConflict, ReviewStore, with_reviews

MAX_COMMENT = 10_000
"""Characters of a reviewer's comment kept."""


@dataclass(frozen=True)
class WrittenQuestion:
    """One written question of the cohort: its part, id, task and rubric."""

    part: str
    id: str
    task: str
    rubric: tuple[tuple[str, int], ...]


class Review:
    """The written answers of one grading output folder, and their reviews.

    Parameters
    ----------
    folder : Path
        The ``--out`` folder of ``aipm-lab grade`` or ``merge`` (it holds ``grades.json``).
    reviewer : str
        Who saves the scores (kept with each review).
    base : Path, optional
        The curriculum whose solutions hold the rubrics (default: the one the run recorded
        in ``run.json``, else the installed one).

    Raises
    ------
    GradingError
        If the folder holds no ``grades.json`` or no written answer.
    """

    def __init__(self, folder: Path, reviewer: str, base: Path | None = None):
        from aipm_lab.course.authoring import solution_spec

        self.folder, self.reviewer = Path(folder), reviewer
        self.load()
        self.base = base or (Path(self.run["curriculum"]) if self.run.get("curriculum") else None)
        self.store = ReviewStore(self.folder)
        self.questions: dict[tuple[str, str], WrittenQuestion] = {}
        for part in sorted({r.part for r in self.rows if r.part}):
            spec = solution_spec(part, self.base)[1]
            for q in spec.questions.values():
                if q.written:
                    self.questions[part, q.id] = WrittenQuestion(part, q.id, q.task or "",
                                                                 tuple((str(c), int(p)) for c, p in q.rubric))
        if not self.questions:
            raise GradingError(f"the parts graded in {self.folder} have no written question to review")
        self._writing = threading.Lock()

    def load(self) -> None:
        """Read the rows (``grades.json``) and the run's other inputs (``run.json``) again.

        Done before each page and each write, so a grading run that rewrote the folder meanwhile
        (a learner graded again) is never written over with the rows read at start.
        """
        from aipm_lab.grading.journal import from_dict
        from aipm_lab.grading.report import RUN_FILE

        try:
            self.rows: list[GradeResult] = [from_dict(r) for r in json.loads((self.folder / "grades.json").read_text())]
        except FileNotFoundError:
            raise GradingError(f"{self.folder} has no grades.json: give the --out folder of `aipm-lab grade`") from None
        except (ValueError, TypeError, KeyError) as exc:
            raise GradingError(f"{self.folder / 'grades.json'} is not a grading run's record ({exc})") from None
        try:
            self.run = json.loads((self.folder / RUN_FILE).read_text())
        except (OSError, ValueError):
            self.run = {}  # an older run: its report is written again without skipped files and signals

    def answers(self, part: str, qid: str) -> list[tuple[GradeResult, str]]:
        """(row, written text) of every learner of ``part`` who answered ``qid``, by name."""
        found = []
        for r in sorted(self.rows, key=lambda r: r.submission):
            q = next((q for q in r.questions if q.id == qid), None) if r.part == part else None
            if q is not None and q.text:
                found.append((r, q.text))
        return found

    def progress(self, key: tuple[str, str]) -> str:
        """How many of a question's answers have a review: "2 of 5 reviewed"."""
        reviews, answers = self.store.all(), self.answers(*key)
        return f"{sum((r.submission, *key) in reviews for r, _ in answers)} of {len(answers)} reviewed"

    def save(self, learner: str, part: str, qid: str, met: list[bool], comment: str, version: int):
        """Save one review (refused on a version conflict), then write the run's outputs again.

        Returns
        -------
        WrittenReview

        Raises
        ------
        ReviewConflict
            If someone saved this answer since ``version``.
        GradingError
            If the question or learner is unknown.
        """
        question = self.questions.get((part, qid))
        if question is None or not any(r.submission == learner for r, _ in self.answers(part, qid)):
            raise GradingError(f"no written answer {qid} of part {part} from {learner!r} in {self.folder}")
        review = self.store.save(learner, part, qid, question.rubric, met, comment[:MAX_COMMENT], self.reviewer,
                                 version)
        try:
            self.publish()
        except GradingError:
            pass  # a grading run holds the folder: its own write_all reads the store, so the score reaches the files
        return review

    def publish(self) -> None:
        """Write grades.csv, grades.json, questions.csv, the report and the feedback pages from the stored rows
        and the reviews (never grading again)."""
        from aipm_lab.grading.integrity import IntegrityFlag
        from aipm_lab.grading.report import write_all

        with self._writing, locked(self.folder):  # not while a grading run writes the same folder
            self.load()
            flags = [IntegrityFlag(f["kind"], tuple(f["learners"]), f["detail"], f.get("score", 0.0))
                     for f in self.run.get("flags", [])]
            write_all(self.rows, self.folder, skipped=self.run.get("skipped", []), base=self.base, flags=flags)

    # --- the page ---------------------------------------------------------------------------------------------

    def page(self, key: tuple[str, str], token: str) -> str:
        """The review page of one written question (HTML; everything from submissions escaped)."""
        self.load()
        question = self.questions[key]
        reviews = self.store.all()
        answers = self.answers(*key)
        nav = " ".join(
            f'<a href="{html.escape("/?" + urlencode({"token": token, "q": f"{p}:{q}"}))}"'
            f'{" aria-current=page" if (p, q) == key else ""}>Part {html.escape(p)} · {html.escape(q)}</a>'
            for p, q in self.questions)
        rubric = "".join(f"<li>{points} pt: {html_text(c)}</li>" for c, points in question.rubric)
        cards = "".join(self._card(row, text, question, reviews.get((row.submission, question.part, question.id)),
                                   token) for row, text in answers)
        silent = [r.submission for r in self.rows if r.part == question.part
                  and not any(r is a for a, _ in answers)]
        nobody = f'<p class="note">No written answer from: {html_text(", ".join(silent), MAX_TEXT)}</p>' \
            if silent else ""
        title = f"Part {question.part} · {question.id}: written answers"
        return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
                f"<nav>{nav}</nav><h1>{html.escape(title)}</h1>"
                f'<p class="note" id="progress"><span id="done">{self.progress(key)}</span> · reviewer '
                f"{html_text(self.reviewer, 200)} · scores are saved as you tick and when you leave a comment box"
                f"</p><p>{html_text(question.task, MAX_TEXT)}</p><h2>Rubric</h2><ul>{rubric}</ul>"
                f"{cards or '<p>Nobody answered this question.</p>'}{nobody}<script>{_SCRIPT}</script></body></html>\n")

    def _card(self, row: GradeResult, text: str, question: WrittenQuestion, review, token: str) -> str:
        shown = text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + f"\n[… cut at {MAX_TEXT} characters]"
        own = "".join(
            f"<tr><td>{html_text(q.id, 100)}</td><td>{q.score}/{q.max_score}</td>"
            f"<td><code>{html.escape(q.answer) if q.answer else html_text(q.status, 50)}</code></td></tr>"
            for q in row.questions if q.kind != "written")
        met = review.met if review is not None else (False,) * len(question.rubric)
        boxes = "".join(
            f'<label><input type="checkbox" name="met" value="{i}"{" checked" if m else ""}> {points} pt: '
            f"{html_text(criterion)}</label>" for i, ((criterion, points), m) in enumerate(zip(question.rubric, met)))
        hidden = "".join(f'<input type="hidden" name="{name}" value="{html.escape(str(value))}">' for name, value in
                         (("token", token), ("learner", row.submission), ("part", question.part),
                          ("question", question.id), ("version", review.version if review else 0)))
        status = (f"{review.score}/{review.max_score} points, saved by {html_text(review.reviewer, 200)} at "
                  f"{html.escape(review.saved)}") if review else "awaiting review"
        return (f'<section><h2>{html_text(row.submission, 200)} <span class="note">seed {row.seed}</span></h2>'
                f'<div class="pair"><blockquote>{html.escape(shown)}</blockquote>'
                f'<table><caption>their computed answers ({row.score}/{row.max_score} points)</caption>'
                f"<tr><th>question</th><th>points</th><th>their answer</th></tr>{own}</table></div>"
                f'<form method="post" action="/save">{hidden}<fieldset>{boxes}</fieldset>'
                f'<label>Comment for the learner<textarea name="comment" rows="3">'
                f'{html.escape(review.comment) if review else ""}</textarea></label>'
                f'<button type="submit">Save</button> <output class="status">{status}</output></form></section>')


_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:72em;padding:1em;color:#222}
h1{font-size:1.35em}h2{font-size:1.05em;margin:.2em 0}.note{color:#555;font-weight:normal}
nav a{margin-right:.8em}nav a[aria-current]{font-weight:700}
section{border:1px solid #ddd;border-radius:6px;padding:.6em .8em;margin:1em 0}
.pair{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1em}
@media (max-width:50em){.pair{grid-template-columns:1fr}}
blockquote{white-space:pre-wrap;overflow-wrap:anywhere;background:#f7f7f7;margin:0;padding:.5em .7em;
border-left:3px solid #ccc}
table{border-collapse:collapse;font-size:.9em;align-self:start}td,th{border-bottom:1px solid #eee;padding:.15em .4em;
text-align:left;vertical-align:top}caption{text-align:left;color:#555}code{overflow-wrap:anywhere}
fieldset{border:0;padding:0;margin:.5em 0}fieldset label{display:block}
textarea{display:block;width:100%;box-sizing:border-box;font:inherit}
output{color:#1565c0}output.error{color:#c62828;font-weight:600}
"""

# Each tick, and each comment box left, saves its card at once (the Save button does the same without script).
_SCRIPT = """
for (const form of document.querySelectorAll('form')) {
  const status = form.querySelector('output');
  const save = async () => {
    status.className = 'status'; status.textContent = 'saving…';
    try {
      const response = await fetch(form.action, {method: 'POST', body: new URLSearchParams(new FormData(form)),
                                                 headers: {'Accept': 'application/json'}});
      const reply = await response.json();
      if (!response.ok) { status.className = 'status error'; status.textContent = reply.error; return; }
      form.elements.version.value = reply.version;
      status.textContent = reply.status;
      document.getElementById('done').textContent = reply.progress;
    } catch (error) { status.className = 'status error'; status.textContent = 'not saved: ' + error; }
  };
  form.addEventListener('submit', event => { event.preventDefault(); save(); });
  for (const box of form.querySelectorAll('input[type=checkbox]')) box.addEventListener('change', save);
  form.elements.comment.addEventListener('change', save);
}
"""


class _Handler(BaseHTTPRequestHandler):
    """GET / (the page of ``?q=PART:QID``) and POST /save; every request carries the session's token."""

    review: Review
    token: str

    def log_message(self, format, *args):  # the terminal is for the address and errors, not every request
        pass

    def _send(self, code: int, body: str, kind: str = "text/html; charset=utf-8", headers=()):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        # Script only from the page itself; nothing fetched from elsewhere; no framing by other sites.
        self.send_header("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; "
                         "style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _allowed(self, token: str, wants_json: bool = False) -> bool:
        if secrets.compare_digest(token.encode(), self.token.encode()):
            return True
        message = "this address needs the token that `aipm-lab review` printed"
        self._send(403, json.dumps({"error": message}), "application/json") if wants_json else \
            self._send(403, f"<p>{html_text(message)}.</p>")
        return False

    def do_GET(self):
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if url.path != "/":
            return self._send(404, "<p>Not found.</p>")
        if not self._allowed(query.get("token", "")):
            return
        part, _, qid = query.get("q", "").partition(":")
        key = (part, qid) if (part, qid) in self.review.questions else next(iter(self.review.questions))
        self._send(200, self.review.page(key, self.token))

    def do_POST(self):
        if urlsplit(self.path).path != "/save":
            return self._send(404, "<p>Not found.</p>")
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(min(length, 1_000_000)).decode(errors="replace"), keep_blank_values=True)
        one = lambda name: (form.get(name) or [""])[-1]  # noqa: E731
        wants_json = "application/json" in (self.headers.get("Accept") or "")
        if not self._allowed(one("token"), wants_json):
            return
        part, qid = one("part"), one("question")
        try:
            rubric = self.review.questions[part, qid].rubric if (part, qid) in self.review.questions else ()
            ticked = {int(i) for i in form.get("met", []) if i.isdigit()}
            saved = self.review.save(one("learner"), part, qid, [i in ticked for i in range(len(rubric))],
                                     one("comment"), int(one("version") or 0))
        except (GradingError, ValueError) as exc:  # a conflict, or a request that matches nothing
            message = str(exc)
            code = 409 if isinstance(exc, ReviewConflict) else 400
            if wants_json:
                return self._send(code, json.dumps({"error": message}), "application/json")
            back = f'/?{urlencode({"token": self.token, "q": f"{part}:{qid}"})}'
            return self._send(code, f'<p>Not saved: {html.escape(message)}</p><p><a href="{html.escape(back)}">'
                                    "Back to the question</a></p>")
        status = f"{saved.score}/{saved.max_score} points, saved by {saved.reviewer} at {saved.saved}"
        if wants_json:
            return self._send(200, json.dumps({"version": saved.version, "score": saved.score, "status": status,
                                               "progress": self.review.progress((part, qid))}), "application/json")
        self._send(303, "", headers=[("Location", f'/?{urlencode({"token": self.token, "q": f"{part}:{qid}"})}')])


def serve(review: Review, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """A server for the review page on 127.0.0.1 (``port`` 0: a free one) and its address with the token.

    Call ``serve_forever()`` on the server (``shutdown()`` from another thread stops it).
    """
    token = secrets.token_urlsafe(24)
    handler = type("Handler", (_Handler,), {"review": review, "token": token})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    return server, f"http://127.0.0.1:{server.server_address[1]}/?token={token}"
