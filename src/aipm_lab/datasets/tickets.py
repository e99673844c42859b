"""Synthetic support messages for Paylark's ticket-intent classifier (parts 1 and 5)."""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._base import Column, wrap_bullets

NAME = "support_tickets"
SUMMARY = "Short messages that customers sent to Paylark support, each labelled with its intent."
PARTS = ("01", "04", "05", "10")
N_ROWS = 6_000


class _Intent(NamedTuple):
    share: float
    family: str  # intents of one family share the vague wordings in VAGUE
    english: tuple[str, ...]  # the first template is the plain wording a demo would use
    spanish: tuple[str, ...]
    short: tuple[str, ...]
    aside: str  # how the intent shows up as a side remark in another intent's message


# Templates deliberately share words across neighbouring intents (refund / dispute / fees,
# lost card / delivery, login / details), so a bag-of-words model cannot be perfect.
INTENTS = {
    "refund": _Intent(
        0.12, "money",
        (
            "I would like a refund for my order from {merchant}.",
            "{merchant} says they sent my refund {day} but I still can't see it.",
            "How long does a refund take to show up on my {card}?",
            "I sent an item back to {merchant} and I need my {amount} returned.",
            "Can you help me get my money back from {merchant}? I cancelled the order.",
            "Still waiting on a refund of {amount}, when will it be credited?",
            "The shop agreed to pay me back but nothing has arrived yet.",
            "I was charged {amount} at {merchant} for an order I cancelled and want it back.",
        ),
        (
            "Quiero un reembolso de mi compra en {merchant}.",
            "Todavía no recibo el reembolso de {amount}.",
            "Devolví un producto a {merchant} y no me han regresado el dinero.",
            "Cancelé el pedido en {merchant}, ¿cuándo me devuelven los {amount}?",
            "¿Cuánto tarda en llegar un reembolso a mi tarjeta?",
        ),
        ("refund?", "help refund", "where is my refund", "money back pls"),
        "I'm also still waiting for a refund from {merchant}.",
    ),
    "disputed_charge": _Intent(
        0.10, "money",
        (
            "I want to dispute a charge from {merchant}.",
            "There is a charge of {amount} at {merchant} that I did not make.",
            "I don't recognise a payment of {amount} from {day}.",
            "Someone used my {card} at {merchant}, it was not me.",
            "{merchant} charged me twice for the same purchase.",
            "unknown transaction {amount} {merchant} please check",
            "{merchant} took {amount} but I never received what I paid for.",
            "How do I open a chargeback for {amount}?",
        ),
        (
            "No reconozco un cargo de {amount} en {merchant}.",
            "Quiero disputar un cobro que yo no hice.",
            "Me cobraron dos veces en {merchant}.",
            "Alguien usó mi tarjeta en {merchant}, no fui yo.",
            "Hay un cobro de {amount} de {day} que no reconozco.",
        ),
        ("wrong charge", "charge i dont know", "dispute", "fraud??"),
        "Also there's a charge from {merchant} I don't recognise.",
    ),
    "fees": _Intent(
        0.08, "money",
        (
            "Why was I charged a fee on my account?",
            "What is this {fee} fee on my statement?",
            "Do you charge anything for international transfers?",
            "I got a foreign transaction fee at {merchant}, can you waive it?",
            "Why did I pay {fee} to take cash out at an ATM?",
            "Is there a monthly fee for the premium plan?",
            "You took {fee} from my balance and I don't know why.",
            "How much does it cost to send money instantly?",
        ),
        (
            "¿Por qué me cobraron una comisión?",
            "¿Cuánto cuesta enviar dinero al extranjero?",
            "Tengo un cargo de {fee} por comisión que no entiendo.",
            "¿Por qué me quitaron {fee} de mi saldo?",
            "¿La cuenta tiene una cuota mensual?",
        ),
        ("fee?", "why fee", "fees", "charges??"),
        "And why did you charge me a {fee} fee?",
    ),
    "card_declined": _Intent(
        0.15, "card",
        (
            "My card was declined at {merchant}.",
            "A payment at {merchant} failed even though I have money in my account.",
            "Why does my {card} keep getting rejected online?",
            "I tried to pay {amount} {day} and it said transaction declined.",
            "My card is not working at the checkout.",
            "Card refused at {merchant}, that was embarrassing.",
            "Is my card blocked? Nothing goes through.",
            "Tap to pay stopped working, only the chip works now.",
        ),
        (
            "Mi tarjeta fue rechazada en {merchant}.",
            "No puedo pagar con mi tarjeta, dice declinada.",
            "¿Por qué rechazan mi tarjeta si tengo saldo?",
            "Intenté pagar {amount} {day} y la tarjeta no pasó.",
        ),
        ("card??", "declined", "card not working", "payment failed"),
        "Plus my card got declined {day}.",
    ),
    "lost_card": _Intent(
        0.09, "card",
        (
            "I lost my card, please block it.",
            "My wallet was stolen {day} with my {card} in it.",
            "I can't find my {card} anywhere, can you freeze it?",
            "How do I report a stolen card?",
            "I left my card at {merchant} and now it's gone.",
            "Please cancel my card, I think I dropped it {day}.",
            "I need a replacement card because mine is missing.",
        ),
        (
            "Perdí mi tarjeta, por favor bloquéenla.",
            "Me robaron la cartera con la tarjeta {day}.",
            "No encuentro mi tarjeta por ningún lado.",
            "Necesito una tarjeta nueva porque perdí la mía.",
        ),
        ("lost card", "card stolen", "card??", "block card"),
        "Also I think I lost my card.",
    ),
    "card_delivery": _Intent(
        0.09, "card",
        (
            "When will my new card arrive?",
            "I ordered a card {n} days ago and it still hasn't come.",
            "Can you tell me the shipping status of my {card}?",
            "My replacement card never showed up.",
            "The card was sent to my old address.",
            "How long does card delivery take?",
            "Still no card in the mail, it's been {n} weeks.",
        ),
        (
            "¿Cuándo llega mi tarjeta nueva?",
            "Pedí una tarjeta hace {n} días y no ha llegado.",
            "Mi tarjeta nueva nunca llegó a mi casa.",
            "¿Cuánto tarda el envío de la tarjeta?",
        ),
        ("card??", "where is my card", "card not here", "new card"),
        "My new card hasn't arrived either.",
    ),
    "login": _Intent(
        0.12, "account",
        (
            "I can't log in to my account.",
            "The app says my password is wrong but I'm sure it's right.",
            "I'm not getting the verification code by text.",
            "My account is locked after too many attempts.",
            "I forgot my password and the reset email never comes.",
            "Face ID stopped working for the Paylark app.",
            "I got a new phone and can't sign in anymore.",
        ),
        (
            "No puedo iniciar sesión.",
            "No me llega el código de verificación.",
            "Olvidé mi contraseña y no puedo entrar.",
            "Mi cuenta está bloqueada por demasiados intentos.",
        ),
        ("login", "cant login", "password", "locked out"),
        "And I can't log in to the app either.",
    ),
    "transfer_delay": _Intent(
        0.13, "money",
        (
            "My transfer has not arrived yet.",
            "I sent {amount} to {person} {day} and they still don't have it.",
            "Why is my transfer to {bank} still pending?",
            "The money I sent {day} is not showing in {bank}.",
            "How long do bank transfers usually take?",
            "My transfer has been stuck on processing for {n} days.",
            "I'm waiting for {amount} from my employer, where is it?",
        ),
        (
            "Mi transferencia no ha llegado.",
            "Envié {amount} a {person} y todavía no lo recibe.",
            "La transferencia sigue pendiente desde {day}.",
            "El dinero que envié {day} no aparece en mi banco.",
        ),
        ("transfer?", "money not arrived", "where is my money", "pending"),
        "Also a transfer I sent {day} is still pending.",
    ),
    "account_closure": _Intent(
        0.05, "account",
        (
            "I want to close my account.",
            "How do I delete my Paylark account?",
            "Please cancel my account and send what's left to {bank}.",
            "I'm switching banks, what do I need to do to close everything?",
            "Can I close my account if I still have {amount} in it?",
            "Cancel my membership, I don't use it anymore.",
        ),
        (
            "Quiero cerrar mi cuenta.",
            "¿Cómo elimino mi cuenta de Paylark?",
            "Quiero cancelar mi cuenta y pasar mi saldo a otro banco.",
            "Ya no uso la app, cierren mi cuenta por favor.",
        ),
        ("close account", "cancel", "delete account"),
        "Honestly I'm thinking of closing my account.",
    ),
    "update_details": _Intent(
        0.07, "account",
        (
            "I need to change my address.",
            "How do I update the phone number on my account?",
            "I got married and want to change my last name.",
            "My email changed, please update it.",
            "I moved, where do I change my {detail}?",
            "Can I edit my {detail} in the app?",
            "The app still shows my old {detail}.",
        ),
        (
            "Necesito cambiar mi dirección.",
            "¿Cómo actualizo mi número de teléfono?",
            "Quiero cambiar mi correo electrónico.",
            "Me mudé y quiero actualizar mi dirección.",
            "¿Dónde cambio mi nombre en la app?",
        ),
        ("change address", "update info", "new phone number"),
        "I also need to update my {detail}.",
    ),
}
LABELS = tuple(INTENTS)

# Messages that name a topic but not the request: only the agent's follow-up tells the
# intents of a family apart, so these stay ambiguous for any model that reads the text alone.
VAGUE = {
    "money": {
        "en": (
            "There's a problem with a payment of {amount}.",
            "Where is my money?",
            "Something is off with my balance.",
            "I have a question about {amount} on my statement.",
            "I need help with a transaction at {merchant}.",
        ),
        "es": (
            "Tengo un problema con un pago de {amount}.",
            "¿Dónde está mi dinero?",
            "Tengo una duda sobre mi saldo.",
        ),
    },
    "card": {
        "en": (
            "Something is wrong with my card.",
            "I have a problem with my {card}.",
            "My card issue still isn't sorted.",
            "I need help with my card urgently.",
        ),
        "es": ("Tengo un problema con mi tarjeta.", "Algo pasa con mi tarjeta."),
    },
    "account": {
        "en": (
            "I need help with my account.",
            "I have a problem with my profile.",
            "Can someone call me about my account?",
            "Account issue, please get back to me.",
        ),
        "es": ("Necesito ayuda con mi cuenta.", "Tengo un problema con mi perfil."),
    },
}

# Slot fillers; the dicts hold English and Spanish versions where the two differ.
MERCHANTS = (
    "Brightmart", "Luna Coffee", "QuickCab", "Northwind Air", "Pixel Plaza", "FreshBasket",
    "StreamBox", "Corner Pharmacy", "GoGym", "Atlas Hotels", "Zippy Eats", "Bookhaven",
)
DAYS = {
    "en": ("yesterday", "on Monday", "on Friday", "last week", "this morning", "two days ago"),
    "es": ("ayer", "el lunes", "el viernes", "la semana pasada", "esta mañana", "hace dos días"),
}
PEOPLE = {
    "en": ("my sister", "my landlord", "a friend", "my mom", "my roommate"),
    "es": ("mi hermana", "mi casero", "un amigo", "mi mamá", "mi compañero de cuarto"),
}
CARDS = ("card", "debit card", "Paylark card", "physical card")
BANKS = ("my savings account", "my other bank", "Harbor Bank", "Summit Credit Union")
DETAILS = ("address", "phone number", "email", "last name", "mailing address")
FEES = ("$2.50", "$3", "$5", "$1.99", "$15")

CHANNELS = ("chat", "app", "email")
CHANNEL_SHARES = np.array([0.5, 0.3, 0.2])
# Per channel (chat, app, email): who writes in Spanish, who sends a few words only,
# who packs two requests into one message, who greets and who signs off.
SPANISH = np.array([0.08, 0.06, 0.04])
SHORT = np.array([0.09, 0.06, 0.0])
MIXED = np.array([0.06, 0.06, 0.16])
VAGUE_RATE = 0.18
P_OPENER = np.array([0.45, 0.25, 0.9])
P_CLOSER = np.array([0.3, 0.3, 0.85])
TYPO_RATE = 0.12
# Agents who do not read Spanish tag Spanish tickets less reliably.
MISLABEL_RATE = {"en": 0.02, "es": 0.08}
# The plain first template is the most common wording of each intent.
PLAIN_WEIGHT = 0.25
OPENERS = {
    "chat": ("Hi", "hey", "Hello", "hi there", "Hey Paylark"),
    "app": ("Hi", "Hello", "Help"),
    "email": ("Hello", "Hi team", "Dear Paylark support", "Good morning"),
    "es": ("Hola", "Buenas tardes", "Buenos días"),
}
CLOSERS = {
    "chat": ("thanks", "pls help", "asap please", "thx"),
    "app": ("Thanks.", "Please advise."),
    "email": (
        "Thank you.",
        "Kind regards.",
        "Thanks in advance for your help.",
        "Looking forward to your reply.",
    ),
    "es": ("Gracias.", "Saludos.", "Ayuda por favor."),
}

COLUMNS = (
    Column(
        "message_id",
        "int",
        "Row id, 0 to n-1. Rows are not in arrival order: there are no timestamps, so the table "
        "cannot be split by time.",
    ),
    Column("text", "str", "The customer's message as received, typos included."),
    Column("intent", "str", "Label set by the support agent; one of: " + ", ".join(LABELS) + "."),
    Column("language", "str", "`en` (English) or `es` (Spanish)."),
    Column("channel", "str", "`chat`, `app` (in-app form) or `email`."),
    Column(
        "second_intent",
        "str",
        "A second request in the same message, tagged by the agent; `none` for most rows.",
    ),
)

# The datasheet's quirks. Numbers the table shows are computed from it by facts(); traits the
# table does not record (which messages are vague, carry a typo or were mislabelled) are quoted
# from the generator's settings and say "by design". The words around the numbers are checked
# for seeds 0 to 19 by tests/test_datasets.py. The first line is kept free of numbers: test_tickets
# looks for it verbatim in the datasheet. quirks() re-wraps the filled-in lines.
QUIRKS = """\
- Intents have uneven shares; in this table
  the most common are `{top_intent}` ({top_share:.0%}) and `{second_intent}` ({second_share:.0%}),
  the rarest is `{rarest_intent}` ({rarest_share:.0%}).
- Neighbouring intents share vocabulary (refund, disputed charge and fees all talk about charges
  and money; lost card and card delivery both talk about a missing card; login and update details
  both mention a new phone).
- By design, {vague_rate:.0%} of the messages that are more than a few words name a topic but not
  the request ("Something is wrong with my card."). The same vague wordings occur under every
  intent of a family (money, card, account), so no model that reads only the text can sort them:
  they cap the accuracy any such model can reach.
- By design, {typo_rate:.0%} of messages get one or two typos (swapped, dropped or doubled
  letters). In this table {chat_lower:.0%} of chat messages are all lower case, against
  {other_lower:.0%} on the other channels.
- By design, {short_by_channel} not in Spanish are a few words only ("card??",
  "help refund"); some of them fit several intents equally well.{short_never}
- {mixed:.0%} of messages carry a second request, most often emails ({mixed_email:.0%} of emails
  against {mixed_chat:.0%} of chat and {mixed_app:.0%} of app messages); the label is the request
  the agent acted on and `second_intent` names the other one. The other request sometimes comes
  first.
- {spanish:.1%} of messages are in Spanish, more often on chat ({spanish_chat:.1%}) than by email
  ({spanish_email:.1%}). Spanish messages come from {es_wordings} wordings and English ones from
  {en_wordings}, Spanish rows are a small share of any training set, and by design
  agents mislabel {mislabel_es:.0%} of Spanish tickets against {mislabel_en:.0%} of English ones:
  all three pull a model's accuracy on the Spanish slice down.
- Every intent has one plain, most common wording; a demo built from those (`demo_examples`)
  scores far higher than the data as a whole.
"""


def facts(df: pd.DataFrame) -> dict:
    """The numbers the datasheet quotes: from the table where it shows them, else the design.

    Parameters
    ----------
    df : pandas.DataFrame
        A table from :func:`generate`.

    Returns
    -------
    dict
        The fields of :data:`QUIRKS`; shares are between 0 and 1.
    """
    shares = df["intent"].value_counts(normalize=True)
    channel, text = df["channel"], df["text"]
    lower = text == text.str.lower()
    mixed = df["second_intent"] != "none"
    spanish = df["language"] == "es"
    # Channels the generator never shortens are named as such rather than given "0%".
    short = [f"{rate:.0%} of {c} messages" for c, rate in zip(CHANNELS, SHORT) if rate > 0]
    never = [c for c, rate in zip(CHANNELS, SHORT) if rate == 0]
    return {
        "top_intent": shares.index[0], "top_share": float(shares.iloc[0]),
        "second_intent": shares.index[1], "second_share": float(shares.iloc[1]),
        "rarest_intent": shares.index[-1], "rarest_share": float(shares.iloc[-1]),
        "vague_rate": VAGUE_RATE,
        "typo_rate": TYPO_RATE,
        "chat_lower": float(lower[channel == "chat"].mean()),
        "other_lower": float(lower[channel != "chat"].mean()),
        "short_by_channel": ", ".join(short[:-1]) + " and " + short[-1] if len(short) > 1 else short[0],
        "short_never": f" {' and '.join(never).capitalize()} messages never are." if never else "",
        "mixed": float(mixed.mean()),
        **{f"mixed_{c}": float(mixed[channel == c].mean()) for c in CHANNELS},
        "spanish": float(spanish.mean()),
        **{f"spanish_{c}": float(spanish[channel == c].mean()) for c in CHANNELS},
        "es_wordings": sum(len(i.spanish) for i in INTENTS.values()),
        "en_wordings": sum(len(i.english) for i in INTENTS.values()),
        "mislabel_es": MISLABEL_RATE["es"], "mislabel_en": MISLABEL_RATE["en"],
    }


def quirks(df: pd.DataFrame) -> str:
    """The datasheet's "built-in quirks" section for a support-ticket table."""
    return wrap_bullets(QUIRKS.format(**facts(df)))


def _amounts(rng: np.random.Generator, n_rows: int) -> np.ndarray:
    """Payment amounts written the way customers type them."""
    value = np.exp(rng.normal(3.6, 1.0, n_rows)).clip(1, 5_000)
    cents = rng.random(n_rows) < 0.6
    return np.where(cents, np.char.mod("$%.2f", value), np.char.mod("$%d", np.round(value)))


def _typo(text: str, draws: np.ndarray) -> str:
    """Apply one or two letter edits (swap, drop, double) at positions chosen by ``draws``."""
    n_edits = 2 if draws[0] < 0.3 else 1
    for kind, where in draws[1:].reshape(2, 2)[:n_edits]:
        letters = [i for i, ch in enumerate(text[:-1]) if ch.isalpha()]
        if not letters:
            break
        i = letters[int(where * len(letters))]
        if kind < 0.45:
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        elif kind < 0.8:
            text = text[:i] + text[i + 1 :]
        else:
            text = text[:i] + text[i] + text[i:]
    return text


def _pick(options: tuple[str, ...], u: float) -> str:
    return options[int(u * len(options))]


def generate(seed: int, n_rows: int = N_ROWS) -> pd.DataFrame:
    """Generate the support-message table for ``seed``.

    Parameters
    ----------
    seed : int
        Seed of the only random source; the same seed gives the same table.
    n_rows : int, default 6_000
        Number of messages.

    Returns
    -------
    pandas.DataFrame
        One row per message, columns as in :data:`COLUMNS`.
    """
    rng = np.random.default_rng(seed)
    shares = np.array([i.share for i in INTENTS.values()])
    intent = rng.choice(len(LABELS), size=n_rows, p=shares / shares.sum())
    channel = rng.choice(len(CHANNELS), size=n_rows, p=CHANNEL_SHARES)
    spanish = rng.random(n_rows) < SPANISH[channel]
    short = ~spanish & (rng.random(n_rows) < SHORT[channel])
    mixed = ~spanish & ~short & (rng.random(n_rows) < MIXED[channel])
    vague = ~short & (rng.random(n_rows) < VAGUE_RATE)
    second = (intent + rng.integers(1, len(LABELS), n_rows)) % len(LABELS)
    typo = rng.random(n_rows) < TYPO_RATE
    mislabel = rng.random(n_rows) < np.where(spanish, MISLABEL_RATE["es"], MISLABEL_RATE["en"])
    wrong = (intent + rng.integers(1, len(LABELS), n_rows)) % len(LABELS)
    label = np.where(mislabel, wrong, intent)
    amount = _amounts(rng, n_rows)
    u = rng.random((n_rows, 13))
    typo_draws = rng.random((n_rows, 5))

    texts = []
    for row in range(n_rows):
        spec = INTENTS[LABELS[intent[row]]]
        lang = "es" if spanish[row] else "en"
        ch = CHANNELS[channel[row]]
        r = u[row]
        slots = {
            "merchant": _pick(MERCHANTS, r[1]),
            "day": _pick(DAYS[lang], r[2]),
            "card": _pick(CARDS, r[3]),
            "person": _pick(PEOPLE[lang], r[4]),
            "bank": _pick(BANKS, r[5]),
            "detail": _pick(DETAILS, r[6]),
            "fee": _pick(FEES, r[7]),
            "n": 2 + int(r[8] * 9),
            "amount": amount[row],
        }
        if short[row]:
            text = _pick(spec.short, r[0])
        else:
            if vague[row]:
                body = _pick(VAGUE[spec.family][lang], r[0])
            elif spanish[row]:
                body = _pick(spec.spanish, r[0])
            elif r[0] < PLAIN_WEIGHT:
                body = spec.english[0]
            else:
                body = _pick(spec.english[1:], (r[0] - PLAIN_WEIGHT) / (1 - PLAIN_WEIGHT))
            text = body.format(**slots)
            text = text[0].upper() + text[1:]
            if mixed[row]:
                aside = INTENTS[LABELS[second[row]]].aside.format(**slots)
                # Most people lead with what they want solved; some start with the other thing.
                text = f"{text} {aside}" if r[9] < 0.7 else f"{aside} {text}"
            greet = "es" if spanish[row] else ch
            if r[10] < P_OPENER[channel[row]]:
                text = f"{_pick(OPENERS[greet], r[10] / P_OPENER[channel[row]])}, {text}"
            if r[11] < P_CLOSER[channel[row]]:
                text = f"{text} {_pick(CLOSERS[greet], r[11] / P_CLOSER[channel[row]])}"
            if ch == "chat" and r[12] < 0.4:
                text = text.lower().rstrip(".")
        if typo[row]:
            text = _typo(text, typo_draws[row])
        texts.append(text)

    return pd.DataFrame(
        {
            "message_id": np.arange(n_rows),
            "text": texts,
            "intent": np.array(LABELS)[label],
            "language": np.where(spanish, "es", "en"),
            "channel": np.array(CHANNELS)[channel],
            "second_intent": np.where(mixed, np.array(LABELS)[second], "none"),
        }
    )


def plain_pattern(template: str) -> re.Pattern[str]:
    """A regex that matches ``template`` exactly, with any filler in its slots."""
    fillers = {
        "merchant": MERCHANTS, "day": DAYS["en"], "card": CARDS, "person": PEOPLE["en"],
        "bank": BANKS, "detail": DETAILS, "fee": FEES,
    }
    pattern = re.escape(template)
    for slot, options in fillers.items():
        alternatives = "(?:" + "|".join(map(re.escape, options)) + ")"
        pattern = pattern.replace(re.escape("{" + slot + "}"), alternatives)
    pattern = pattern.replace(re.escape("{amount}"), r"\$\d+(?:\.\d\d)?")
    return re.compile(pattern.replace(re.escape("{n}"), r"\d+"))


def demo_examples(df: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` cleanest, most typical messages: the ones a team would put in a demo.

    A message qualifies when it is in English, carries no second request and reads
    exactly like the plain wording of its labelled intent (no greeting, no typo, no
    lower-casing). Intents take turns, in label order, and within an intent the
    earliest messages come first, so the choice is deterministic.

    Parameters
    ----------
    df : pandas.DataFrame
        A table from :func:`generate` (or a subset of it, such as a test split).
    n : int, default 10
        Number of examples; 10 gives one per intent.

    Returns
    -------
    pandas.DataFrame
        ``n`` rows of ``df`` (fewer if not enough qualify), original index kept.
    """
    clean = df[(df["language"] == "en") & (df["second_intent"] == "none")].sort_values("message_id")
    queues = []
    for label, spec in INTENTS.items():
        pattern = plain_pattern(spec.english[0])
        rows = clean[clean["intent"] == label]
        queues.append([i for i, text in zip(rows.index, rows["text"]) if pattern.fullmatch(text)])
    # Round-robin over intents: position k of every queue before position k + 1 of any.
    picked = [q[k] for k in range(max(map(len, queues), default=0)) for q in queues if k < len(q)]
    return df.loc[picked[:n]]
