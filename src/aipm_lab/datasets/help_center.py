"""Paylark's help-center articles and an eval set of customer questions (part 8).

One private builder makes both tables from one seed, so every question's gold article ids
point into the article table of the same seed. :mod:`.help_center_articles` and
:mod:`.help_center_questions` are the two dataset modules that the registry lists; they only
choose which table to return and how to describe it.

Design (what a retriever meets):

* Twelve topics whose articles share words (charge, card, account, days, app), each article
  about one specific thing (an airline refund, decline code 51, a transfer to Mexico), written
  as Markdown with ``##`` headings.
* Some articles have a Spanish translation; a few have a near-duplicate (the same content
  lightly reworded, filed twice) and a few have a stale older version with outdated numbers.
* Questions ask about one article with its own words (``exact``), with other words
  (``paraphrase``), with typos, in Spanish, or about something the help center does not
  cover (``unanswerable``, gold ``none``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from .tickets import _typo  # the support tickets' typo model, so both datasets misspell alike

N_QUESTIONS = 420
# Exact shares (counts are rounded), so every seed has the same number of each kind of article.
SPANISH_SHARE = 0.5  # of the articles of a topic that has Spanish articles
DUPLICATE_SHARE = 0.08  # of the current English articles: filed twice, lightly reworded
STALE_SHARE = 0.25  # of the current English articles: an older version with outdated numbers is still online
SPANISH_ON_TRANSLATED = 0.8  # of Spanish questions ask about an article that has a Spanish translation
KIND_SHARES = {"exact": 0.32, "paraphrase": 0.28, "typo": 0.14, "spanish": 0.12, "unanswerable": 0.14}


class _Spanish(NamedTuple):
    title: str
    entities: tuple[str, ...]  # the Spanish name of each of the topic's entities, in order
    sentences: tuple[str, ...]
    questions: tuple[str, ...]


class _Topic(NamedTuple):
    title: str  # "{e}" is the entity's name
    entities: tuple[tuple[str, str], ...]  # (name used in the article, alias a customer may use)
    sections: dict[str, tuple[str, ...]]  # heading -> sentence templates
    exact: tuple[str, ...]  # question templates that reuse the article's words
    paraphrase: tuple[str, ...]  # question templates in other words ("{a}" is the alias)
    spanish: _Spanish | None = None  # the topic's Spanish articles and questions, if it has any


# Sentences every topic can use: they make topics overlap in vocabulary, as real help centers do.
COMMON = {
    "Before you start": (
        "Make sure the Paylark app is up to date and that you are signed in to the right account.",
        "Keep your card and your phone nearby, we may ask you to confirm it is you.",
        "Most of this can be done in the app under Account, then Help.",
    ),
    "Still need help?": (
        "If the steps above do not solve it, chat with us from the Help tab in the app.",
        "Our support team answers chat messages every day, usually within {hours} hours.",
        "Have the date and amount of the payment ready when you contact support.",
    ),
}

TOPICS = {
    "refunds": _Topic(
        "Refunds from {e}",
        (("an airline", "a cancelled flight"), ("a hotel", "a room booking"), ("an online marketplace", "a web shop"),
         ("a subscription service", "a monthly plan"), ("a ride-hailing app", "a taxi ride"),
         ("a food delivery app", "a takeaway order"), ("an electronics store", "a laptop purchase"),
         ("a concert ticket seller", "a gig ticket"), ("a grocery store", "the supermarket"),
         ("a car rental company", "a hire car"), ("a gym", "a fitness membership"),
         ("a pharmacy", "a chemist"), ("a furniture store", "a sofa order"), ("a clothing shop", "returned clothes"),
         ("a game store", "a video game"), ("a streaming service", "a TV app")),
        {
            "How refunds work": (
                "A refund from {e} is started by the merchant, not by Paylark.",
                "Once {e} sends the refund, it returns to the card or balance you paid with.",
                "The refund shows as pending first and then as a credit on your statement.",
            ),
            "How long it takes": (
                "Refunds from {e} usually arrive within {days} business days.",
                "Card refunds can take up to {days2} days if the original payment was in another currency.",
                "The amount may differ slightly from what you paid when an exchange rate applied.",
            ),
            "If the refund does not arrive": (
                "Ask {e} for the refund reference number, sometimes called an ARN.",
                "If {days2} days have passed, you can open a dispute from the payment's page.",
            ),
        },
        ("How long does a refund from {e} take?", "refund from {e} not received", "When will my refund from {e} arrive?",
         "{e} refund still pending"),
        ("I was promised my money back for {a}, when do I see it?", "Still waiting to be reimbursed for {a}",
         "{a} said they paid me back but nothing is in my account", "how do i get reimbursed after {a}"),
        _Spanish(
            "Reembolsos de {e}",
            ("una aerolínea", "un hotel", "una tienda en línea", "un servicio de suscripción", "una app de transporte",
             "una app de comida a domicilio", "una tienda de electrónica", "una boletera de conciertos", "un supermercado",
             "una empresa de alquiler de autos", "un gimnasio", "una farmacia", "una mueblería", "una tienda de ropa",
             "una tienda de videojuegos", "un servicio de streaming"),
            ("Un reembolso de {e} lo inicia el comercio, no Paylark.",
             "Los reembolsos de {e} suelen llegar en {days} días hábiles.",
             "Si pasan {days2} días sin reembolso, puedes abrir una disputa desde la app."),
            ("¿Cuánto tarda un reembolso de {e}?", "No me llega el reembolso de {e}",
             "¿Cuándo me devuelven el dinero de {e}?")),
    ),
    "disputes": _Topic(
        "Disputing a charge: {e}",
        (("item not received", "the package never came"), ("charged twice", "a double payment"),
         ("wrong amount charged", "they billed me more than agreed"),
         ("subscription charged after cancelling", "billed after I unsubscribed"),
         ("counterfeit item", "a fake product"), ("unauthorised payment", "a payment I did not make"),
         ("hotel deposit not returned", "a security deposit kept"), ("ATM did not dispense cash", "the cash machine kept my money"),
         ("service not as described", "the service was nothing like the ad"),
         ("merchant went out of business", "the shop closed down"), ("free trial charged", "the trial was supposed to be free"),
         ("cancelled booking charged", "they charged a booking I cancelled"), ("damaged item", "it arrived broken"),
         ("recurring payment I never agreed to", "a repeating charge I never approved")),
        {
            "When to open a dispute": (
                "Open a dispute for {e} when you cannot solve it with the merchant directly.",
                "You have {days3} days from the charge date to open a dispute.",
                "A dispute is also called a chargeback by card networks.",
            ),
            "How to open a dispute": (
                "In the app, tap the charge, then Report a problem, then {e}.",
                "Add screenshots, receipts or messages with the merchant as evidence.",
                "We may give you a temporary credit of the charge amount while we investigate.",
            ),
            "What happens next": (
                "The card network gives the merchant time to respond, so disputes take up to {days2} days.",
                "If the merchant proves the charge is valid, the temporary credit is reversed.",
            ),
        },
        ("How do I dispute a charge for {e}?", "dispute {e}", "open a chargeback for {e}", "charge dispute: {e}"),
        ("{a}, can I get the bank to reverse it?", "what can I do, {a}", "{a} and the seller ignores me",
         "how to contest it when {a}"),
    ),
    "fees": _Topic(
        "The {e}",
        (("foreign transaction fee", "a charge for paying abroad"), ("ATM withdrawal fee", "a cost for taking out cash"),
         ("instant transfer fee", "the price of sending money right away"), ("card replacement fee", "paying for a new card"),
         ("Plus plan monthly fee", "the premium subscription price"), ("inactivity fee", "a charge for not using the account"),
         ("currency conversion fee", "the exchange markup"), ("cash deposit fee", "paying in banknotes"),
         ("paper statement fee", "mailed statements"), ("express card delivery fee", "faster card shipping"),
         ("overdraft fee", "going below zero"), ("international wire fee", "sending a wire overseas"),
         ("late payment fee", "paying the bill late"), ("check deposit fee", "depositing a cheque")),
        {
            "What the fee is": (
                "The {e} is {fee} and it appears as a separate line on your statement.",
                "Fees are listed in the app under Account, then Plans and fees.",
            ),
            "When you pay it": (
                "We charge the {e} at the moment the transaction settles.",
                "Customers on the Plus plan pay a lower {e} or none at all.",
                "The fee is taken from your Paylark balance, not from your card limit.",
            ),
            "Avoiding the fee": (
                "You can avoid the {e} by switching plans or by using the free option shown in the app.",
                "We refund the {e} once per year if it was charged by mistake.",
            ),
        },
        ("How much is the {e}?", "what is the {e}", "why was I charged the {e}", "{e} amount"),
        ("what do you charge for {a}?", "is there a cost for {a}", "I paid extra for {a}, why?",
         "price of {a}"),
    ),
    "declines": _Topic(
        "Card declined with {e}",
        (("code 05 (do not honour)", "the bank just said no"), ("code 51 (insufficient funds)", "not enough money"),
         ("code 54 (expired card)", "my card is out of date"), ("code 55 (incorrect PIN)", "I typed the wrong PIN"),
         ("code 57 (transaction not permitted)", "this kind of purchase is blocked"),
         ("code 61 (exceeds limit)", "I went over my spending cap"), ("code 62 (restricted card)", "my card is restricted"),
         ("code 65 (too many uses)", "I paid too many times today"), ("code 75 (PIN tries exceeded)", "I locked my PIN"),
         ("code 91 (issuer unavailable)", "the bank system was down"), ("code 14 (invalid card number)", "the number was not accepted"),
         ("code N7 (CVV mismatch)", "the security code was rejected"), ("code 93 (legal restriction)", "a compliance block"),
         ("code 1A (additional authentication required)", "it asked me to verify again")),
        {
            "What the message means": (
                "A decline with {e} comes from the card network or from Paylark's own checks.",
                "The merchant sees the code {e}, but not the full reason.",
            ),
            "What you can do": (
                "For {e}, check the card details in the app, then try the payment again.",
                "If the code repeats, try a different payment method or wait {hours} hours.",
                "Declines are never charged, but a pending authorisation may show for a few days.",
            ),
            "Why we decline payments": (
                "We decline a payment when it looks unusual for your account, to protect you from fraud.",
                "You can confirm a blocked payment from the notification we send.",
            ),
        },
        ("card declined {e}", "What does {e} mean?", "my payment failed with {e}", "{e} at checkout"),
        ("my card was refused because {a}, what now?", "payment rejected, {a}", "card not going through, {a}",
         "the shop said {a}"),
        _Spanish(
            "Tarjeta rechazada con {e}",
            ("código 05 (no aceptar)", "código 51 (fondos insuficientes)", "código 54 (tarjeta vencida)",
             "código 55 (PIN incorrecto)", "código 57 (operación no permitida)", "código 61 (límite excedido)",
             "código 62 (tarjeta restringida)", "código 65 (demasiados usos)", "código 75 (intentos de PIN excedidos)",
             "código 91 (emisor no disponible)", "código 14 (número de tarjeta inválido)", "código N7 (CVV incorrecto)",
             "código 93 (restricción legal)", "código 1A (autenticación adicional)"),
            ("Un rechazo con {e} viene de la red de tarjetas o de los controles de Paylark.",
             "Para {e}, revisa los datos de la tarjeta en la app y vuelve a intentar el pago.",
             "Los rechazos nunca se cobran."),
            ("Mi tarjeta fue rechazada con {e}", "¿Qué significa {e}?", "Pago rechazado con {e}")),
    ),
    "lost_cards": _Topic(
        "Lost or stolen card: {e}",
        (("card lost while travelling abroad", "I lost it on holiday"), ("wallet stolen", "someone took my purse"),
         ("card left in an ATM", "the cash machine swallowed it"), ("card stolen together with your phone", "my mobile was stolen too"),
         ("virtual card details leaked", "my online card number got out"), ("card found after freezing it", "I found it again"),
         ("card lost by a family member", "my kid lost their card"), ("card taken in a burglary", "my house was broken into"),
         ("business card lost by an employee", "a staff member lost the company card"),
         ("card lost but payments still appear", "there are charges after I lost it"),
         ("card kept by a merchant", "the shop kept my card"), ("card lost in the mail on its way back", "returned card went missing")),
        {
            "Freeze the card first": (
                "If your card is lost or stolen ({e}), freeze it in the app right away.",
                "Freezing is instant and you can unfreeze the card if you find it.",
            ),
            "Replace the card": (
                "Order a replacement from the card's page; the new card has a new number.",
                "A replacement arrives within {days} business days, and your virtual card works right away.",
                "Automatic payments move to the new card for most merchants.",
            ),
            "Unknown payments": (
                "Tell us about any payment you do not recognise, we will open a dispute for you.",
                "You are not liable for fraudulent payments reported within {days3} days.",
            ),
        },
        ("What do I do if my card is lost: {e}", "{e}, how do I block the card", "lost card {e}",
         "report {e}"),
        ("{a}, what should I do first?", "help, {a}", "{a} - can I stop anyone using it?", "{a}, need a new one"),
        _Spanish(
            "Tarjeta perdida o robada: {e}",
            ("tarjeta perdida en un viaje", "cartera robada", "tarjeta olvidada en un cajero",
             "tarjeta robada junto con el teléfono", "datos de la tarjeta virtual filtrados",
             "tarjeta encontrada después de congelarla", "tarjeta perdida por un familiar",
             "tarjeta robada en un asalto a la casa", "tarjeta de empresa perdida por un empleado",
             "pagos después de perder la tarjeta", "tarjeta retenida por un comercio", "tarjeta perdida en el correo"),
            ("Si tu tarjeta se perdió o te la robaron ({e}), congélala en la app.",
             "Pide una tarjeta nueva desde la app; llega en {days} días hábiles.",
             "Avísanos de cualquier pago que no reconozcas."),
            ("Perdí mi tarjeta: {e}", "¿Qué hago? {e}", "Tarjeta robada, {e}")),
    ),
    "delivery": _Topic(
        "Card delivery: {e}",
        (("standard delivery", "the normal post"), ("express delivery", "fast shipping"), ("delivery to a PO box", "a mailbox address"),
         ("delivery outside the US", "sending it to another country"), ("address changed after ordering", "I moved after I ordered"),
         ("card arrived damaged", "it came bent"), ("metal card delivery", "the steel card"),
         ("business card delivery", "the company cards"), ("card returned to sender", "it bounced back"),
         ("tracking your card", "following the parcel"), ("activating a new card", "switching the card on"),
         ("signature required at delivery", "someone has to sign for it")),
        {
            "Delivery times": (
                "With {e}, cards usually arrive within {days} business days.",
                "We send a tracking link by email once the card leaves our partner's facility.",
            ),
            "Where we deliver": (
                "Cards go to the address on your profile; update it before you order.",
                "For {e}, check that your name and apartment number are complete.",
            ),
            "If the card does not arrive": (
                "If nothing arrives after {days2} days, report the card as not received and we will send a new one free.",
                "Your virtual card can be used for online payments while you wait.",
            ),
        },
        ("How long does {e} take?", "{e} card not arrived", "card delivery {e}", "question about {e}"),
        ("{a}: when will my card get here?", "my new card is late, {a}", "{a}, where is my card",
         "waiting for my card ({a})"),
    ),
    "sign_in": _Topic(
        "Signing in: {e}",
        (("SMS verification codes", "the text message code"), ("authenticator app codes", "the six digit code app"),
         ("passkeys", "signing in without a password"), ("Face ID", "face unlock"), ("fingerprint sign-in", "touch unlock"),
         ("password reset emails", "the forgotten password link"), ("moving to a new phone", "I changed my mobile"),
         ("locked accounts", "too many wrong attempts"), ("suspicious sign-in alerts", "a login I did not do"),
         ("signing in on the web", "the browser version"), ("shared family devices", "using my partner's tablet"),
         ("security questions", "memorable answers")),
        {
            "How it works": (
                "Paylark uses {e} to confirm that it is really you when you sign in.",
                "You can turn {e} on or off in Settings, then Security.",
            ),
            "Common problems": (
                "If {e} does not work, check the date and time settings on your phone.",
                "After {tries} failed attempts the account locks for {hours} hours to protect you.",
                "Codes expire after a few minutes, so request a new one if it is late.",
            ),
            "Keep your account safe": (
                "We never ask for your password or codes by phone or email.",
                "If you see a sign-in you do not recognise, change your password and tell us.",
            ),
        },
        ("problem with {e}", "{e} not working", "how do {e} work", "can't sign in with {e}"),
        ("can't log in, {a}", "{a} isn't working for me", "trouble getting into my account with {a}",
         "login issue: {a}"),
    ),
    "transfers": _Topic(
        "Sending money: {e}",
        (("transfers to Mexico", "sending pesos home"), ("transfers to the Philippines", "sending money to Manila"),
         ("transfers to India", "sending rupees"), ("transfers to the UK", "sending pounds to London"),
         ("transfers to Canada", "sending money to Toronto"), ("transfers to Colombia", "sending money to Bogota"),
         ("transfers between Paylark users", "paying a friend in the app"), ("transfers to a US bank account", "moving money to my bank"),
         ("wire transfers", "a bank wire"), ("scheduled transfers", "paying on a future date"),
         ("recurring transfers", "a standing order"), ("instant transfers", "money that arrives in seconds"),
         ("cancelling a transfer", "stopping a payment I sent"), ("transfers sent to the wrong person", "I paid the wrong account")),
        {
            "How it works": (
                "Start {e} from the Send tab; you need the recipient's name and account details.",
                "We show the exchange rate and the fee before you confirm.",
            ),
            "How long it takes": (
                "Most {e} arrive within {days} business days, many within minutes.",
                "A transfer can stay pending while we run security checks required by law.",
                "Transfers sent after 5 pm or on weekends start the next business day.",
            ),
            "Limits and fees": (
                "You can send up to {amount} per day with {e}, more after you verify your identity.",
                "The fee for {e} depends on the amount and the currency.",
            ),
        },
        ("How long do {e} take?", "{e} pending", "fees for {e}", "{e} not arrived"),
        ("{a}, how long will it be?", "the money is not there yet ({a})", "what does {a} cost", "{a} is stuck"),
        _Spanish(
            "Enviar dinero: {e}",
            ("las transferencias a México", "las transferencias a Filipinas", "las transferencias a India",
             "las transferencias al Reino Unido", "las transferencias a Canadá", "las transferencias a Colombia",
             "las transferencias entre usuarios de Paylark", "las transferencias a un banco de EE. UU.",
             "las transferencias bancarias internacionales", "las transferencias programadas",
             "las transferencias recurrentes", "las transferencias instantáneas", "la cancelación de una transferencia",
             "las transferencias enviadas a la persona equivocada"),
            ("Para {e}, empieza desde la pestaña Enviar de la app.",
             "La mayoría de {e} llegan en {days} días hábiles.",
             "Mostramos el tipo de cambio y la comisión antes de confirmar."),
            ("¿Cuánto tardan {e}?", "Mi transferencia sigue pendiente ({e})", "¿Qué comisión tienen {e}?")),
    ),
    "closing": _Topic(
        "Closing your account: {e}",
        (("closing with money left", "I still have a balance"), ("deleting your personal data", "erasing my information"),
         ("closing a joint account", "the account I share with my partner"), ("closing a business account", "shutting the company account"),
         ("account of a customer who passed away", "my late father's account"), ("reopening a closed account", "coming back to Paylark"),
         ("exporting statements before closing", "downloading my history"), ("closing with a negative balance", "I owe money"),
         ("cancelling the Plus plan only", "downgrading my plan"), ("closing a teen account", "my son's account")),
        {
            "Before you close": (
                "Before {e}, move your balance out and cancel automatic payments.",
                "Download your statements; after closing you can request them from support for {years} years.",
            ),
            "How to close": (
                "Go to Account, then Close account, and follow the steps for {e}.",
                "We confirm by email once the account is closed, usually within {days} days.",
            ),
            "After closing": (
                "We keep some records for {years} years because the law requires it.",
                "Cards linked to the account stop working as soon as it closes.",
            ),
        },
        ("How do I close my account: {e}", "{e}", "account closure {e}", "close account with {e}"),
        ("I want to leave Paylark, {a}", "shut everything down, {a}", "quit the app ({a})", "{a} - how do I cancel"),
    ),
    "profile": _Topic(
        "Updating your profile: {e}",
        (("home address", "where I live"), ("phone number", "my mobile"), ("email address", "my inbox"),
         ("legal name", "my surname after marriage"), ("date of birth", "my birthday is wrong"), ("tax ID", "my social security number"),
         ("preferred name", "what the app calls me"), ("app language", "seeing the app in another language"),
         ("notification settings", "the alerts I receive"), ("mailing address for cards", "where cards are posted")),
        {
            "How to update it": (
                "You can change your {e} in the app under Account, then Personal details.",
                "Some changes to your {e} need a photo of an ID document.",
            ),
            "How long it takes": (
                "Most updates are instant; checks on your {e} can take {days} business days.",
                "We send a confirmation to your old and new contact details.",
            ),
            "Why we ask": (
                "Keeping your {e} current helps us reach you about security alerts.",
                "Regulations require us to hold accurate details for every customer.",
            ),
        },
        ("How do I change my {e}?", "update {e}", "edit {e} in the app", "wrong {e} on my account"),
        ("I need to fix {a}", "where can I change {a}", "{a} is out of date in the app", "correcting {a}"),
    ),
    "limits": _Topic(
        "Limits: {e}",
        (("Lark Basic plan limits", "the free account"), ("Lark Plus plan limits", "the paid account"),
         ("Lark Business plan limits", "the company account"), ("daily ATM withdrawal limit", "how much cash a day"),
         ("card spending limit", "how much I can spend"), ("monthly transfer limit", "sending caps per month"),
         ("verification level 1", "before I upload my ID"), ("verification level 2", "after I upload my ID"),
         ("teen account limits", "my daughter's card"), ("contactless payment limit", "tap to pay maximum"),
         ("balance limit", "the most I can hold"), ("cash deposit limit", "how much cash I can put in")),
        {
            "Your limits": (
                "With {e}, you can spend up to {amount} per day by card.",
                "Limits reset at midnight in your time zone.",
            ),
            "Raising a limit": (
                "To raise the {e}, verify your identity or upgrade your plan in the app.",
                "Limit increases are reviewed within {days} business days.",
            ),
            "Why limits exist": (
                "Limits protect your money if your card or phone falls into the wrong hands.",
                "Regulators require lower limits until we have verified who you are.",
            ),
        },
        ("What is the {e}?", "{e}", "raise {e}", "how do I increase the {e}"),
        ("how much am I allowed, {a}?", "maximum for {a}", "I hit a cap, {a}", "can I go higher ({a})"),
    ),
    "payouts": _Topic(
        "Paylark for business: {e}",
        (("payout schedule", "when the shop gets paid"), ("instant payouts to a debit card", "getting my sales money now"),
         ("payout holds", "my earnings are frozen"), ("rolling reserve", "money kept back from sales"),
         ("invoice payments", "billing my clients"), ("card reader setup", "the countertop terminal"),
         ("QR code payments", "customers scanning to pay"), ("refunding a customer", "giving a buyer their money back"),
         ("sales reports", "my daily takings"), ("tax forms for merchants", "the 1099 paperwork")),
        {
            "How it works": (
                "Merchants using {e} see it in the Business dashboard.",
                "Sales settle in your business balance and go to your bank account on the payout schedule.",
            ),
            "Timing": (
                "With {e}, money usually reaches your bank within {days} business days.",
                "New businesses may have payouts held for the first {days3} days while we review activity.",
            ),
            "Fees": (
                "The fee for {e} is shown before you confirm, per sale or per payout.",
                "Chargebacks on your sales are deducted from your next payout.",
            ),
        },
        ("How does {e} work?", "{e} for my business", "question about {e}", "{e} merchant"),
        ("as a shop owner, {a}?", "my store: {a}", "{a} for sellers", "small business question, {a}"),
    ),
}

# Questions about things the help center does not cover; several borrow its vocabulary.
UNANSWERABLE = (
    "Can I buy bitcoin with my Paylark balance?", "Do you offer mortgages?", "What is Paylark's share price today?",
    "Can I get a refund on crypto I bought elsewhere?", "How do I trade stocks in the app?",
    "Does Paylark sponsor work visas?", "Can you lower my car insurance?", "Is there a Paylark credit score check?",
    "Can I open a savings account for my company in Japan?", "What is the interest rate on a personal loan?",
    "How do I pay my taxes to the IRS through Paylark?", "Can I send money to a prison inmate?",
    "Do you have a branch I can visit in Chicago?", "Can I use Paylark to pay rent with a credit card and earn points?",
    "Is Paylark hiring customer support agents?", "Can I transfer money to North Korea?",
    "What time does the store on Main Street close?", "How do I cancel my phone contract?",
)
# Spanish questions on a topic without Spanish articles mix the languages, as customers do.
SPANISH_FALLBACK = ("Tengo una pregunta sobre {e}", "Necesito ayuda con {e}", "¿Qué hago con {e}?")
UNANSWERABLE_ES = (
    "¿Puedo comprar bitcoin con mi saldo?", "¿Ofrecen préstamos hipotecarios?", "¿Cuál es el precio de la acción de Paylark?",
    "¿Tienen una sucursal en Monterrey?", "¿Puedo pagar el seguro del coche con Paylark?",
)

# Stale versions quote the numbers the current article replaced.
FILL = {"days": (2, 3, 5, 7), "days2": (10, 14, 30), "days3": (60, 90, 120), "hours": (2, 4, 24, 48),
        "amount": ("$1,000", "$2,500", "$5,000", "$10,000"), "fee": ("$1.50", "$2.50", "$3", "$5", "2.5%", "1%"),
        "tries": (3, 5), "years": (5, 7)}
# Light rewording for near-duplicates: the same article filed twice by two teams.
REWORD = (("usually", "normally"), ("within", "in"), ("you can", "it is possible to"), ("app", "Paylark app"),
          ("Make sure", "Check"), ("right away", "immediately"))


def _fill(template: str, entity: str, numbers: dict, alias: str = "") -> str:
    return template.format(e=entity, a=alias, **numbers)


def _numbers(rng: np.random.Generator) -> dict:
    return {k: v[int(rng.integers(len(v)))] for k, v in FILL.items()}


def _article_body(topic: _Topic, entity: str, numbers: dict, rng: np.random.Generator) -> str:
    """Markdown: the title, then the topic's sections (a shuffled subset of sentences) and a common one."""
    lines = [f"# {_fill(topic.title, entity, numbers)}"]
    for heading, sentences in topic.sections.items():
        keep = sorted(rng.choice(len(sentences), size=max(2, len(sentences) - int(rng.integers(0, 2))), replace=False))
        lines += ["", f"## {heading}", " ".join(_fill(sentences[i], entity, numbers) for i in keep)]
    heading = list(COMMON)[int(rng.integers(len(COMMON)))]
    sentences = COMMON[heading]
    keep = sorted(rng.choice(len(sentences), size=2, replace=False))
    lines += ["", f"## {heading}", " ".join(_fill(sentences[i], entity, numbers) for i in keep)]
    return "\n".join(lines)


def _spanish_body(spanish: _Spanish, entity: str, numbers: dict) -> str:
    title = _fill(spanish.title, entity, numbers)
    return "\n".join([f"# {title}", "", "## Qué hacer", " ".join(_fill(s, entity, numbers) for s in spanish.sentences)])


@lru_cache(maxsize=4)
def build(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables for ``seed``: (articles, questions), from one random source.

    Cached, so the two dataset modules share one build; callers get copies from
    :func:`articles` and :func:`questions`.

    Parameters
    ----------
    seed : int
        Seed of the only random source.

    Returns
    -------
    tuple of pandas.DataFrame
    """
    rng = np.random.default_rng(seed)
    rows = []  # article rows, before ids are assigned
    base = []  # (row, topic, entity index) of every current English article
    for name, topic in TOPICS.items():
        for k, (entity, _) in enumerate(topic.entities):
            numbers = _numbers(rng)
            rows.append({"topic": name, "language": "en", "status": "current", "same_as": -1, "numbers": numbers,
                         "title": _fill(topic.title, entity, numbers), "body": _article_body(topic, entity, numbers, rng)})
            base.append((len(rows) - 1, name, k))
    spanish_of, duplicate_of = {}, {}
    translatable = [b for b in base if TOPICS[b[1]].spanish]
    translated = set(rng.choice(len(translatable), size=round(SPANISH_SHARE * len(translatable)), replace=False).tolist())
    for j, (i, name, k) in enumerate(translatable):
        spanish = TOPICS[name].spanish
        if j in translated:
            numbers = rows[i]["numbers"]
            rows.append({**rows[i], "language": "es", "same_as": i, "title": _fill(spanish.title, spanish.entities[k], numbers),
                         "body": _spanish_body(spanish, spanish.entities[k], numbers)})
            spanish_of[i] = len(rows) - 1
    picked = rng.permutation(len(base))
    n_duplicates, n_stale = round(DUPLICATE_SHARE * len(base)), round(STALE_SHARE * len(base))
    for rank, (i, name, k) in zip(np.argsort(picked), base):
        if rank < n_duplicates:
            body = rows[i]["body"]
            for old, new in REWORD:
                body = body.replace(old, new)
            rows.append({**rows[i], "body": body, "same_as": i})
            duplicate_of[i] = len(rows) - 1
        elif rank < n_duplicates + n_stale:
            old = dict(rows[i]["numbers"])
            for key in ("days", "days2", "fee", "amount", "hours"):
                others = [v for v in FILL[key] if v != old[key]]
                old[key] = others[int(rng.integers(len(others)))]
            body = _article_body(TOPICS[name], TOPICS[name].entities[k][0], old, rng)
            rows.append({**rows[i], "status": "stale", "body": body, "same_as": i})
    # Shuffle the filing order so that ids say nothing about topics.
    order = rng.permutation(len(rows))
    new_id = {int(row): f"HC-{pos + 1:04d}" for pos, row in enumerate(order)}
    article_table = pd.DataFrame([rows[o] for o in order])
    article_table.insert(0, "article_id", [new_id[int(o)] for o in order])
    article_table["same_as"] = [new_id[s] if s >= 0 else "none" for s in article_table["same_as"]]
    article_table["n_words"] = article_table["body"].str.split().str.len()
    article_table = article_table[["article_id", "topic", "title", "language", "status", "same_as", "n_words", "body"]]

    kinds = rng.choice(list(KIND_SHARES), size=N_QUESTIONS, p=list(KIND_SHARES.values()))
    with_spanish = [b for b in base if b[0] in spanish_of]
    question_rows = []
    for qid, kind in enumerate(kinds):
        if kind == "unanswerable":
            language = "es" if rng.random() < 0.2 else "en"
            pool = UNANSWERABLE_ES if language == "es" else UNANSWERABLE
            question_rows.append({"question_id": qid, "text": pool[int(rng.integers(len(pool)))], "kind": kind,
                              "language": language, "topic": "none", "gold_articles": "none"})
            continue
        # Most Spanish questions are about topics that have Spanish articles; the rest are not.
        pool = with_spanish if kind == "spanish" and rng.random() < SPANISH_ON_TRANSLATED else base
        i, name, k = pool[int(rng.integers(len(pool)))]
        topic = TOPICS[name]
        entity, alias = topic.entities[k]
        if kind == "spanish":
            templates = topic.spanish.questions if topic.spanish else SPANISH_FALLBACK
            entity = topic.spanish.entities[k] if topic.spanish else entity
        elif kind == "paraphrase":
            templates = topic.paraphrase
        else:
            templates = topic.exact
        text = _fill(templates[int(rng.integers(len(templates)))], entity, {}, alias)
        text = text[0].upper() + text[1:]
        if kind == "typo":
            text = _typo(text, rng.random(5))
        gold = [i] + [found[i] for found in (spanish_of, duplicate_of) if i in found]
        question_rows.append({"question_id": qid, "text": text, "kind": kind, "language": "es" if kind == "spanish" else "en",
                          "topic": name, "gold_articles": " ".join(sorted(new_id[g] for g in gold))})
    return article_table, pd.DataFrame(question_rows)


def articles(seed: int) -> pd.DataFrame:
    """The article table for ``seed`` (a copy of the cached build)."""
    return build(int(seed))[0].copy()


def questions(seed: int) -> pd.DataFrame:
    """The question table for ``seed`` (a copy of the cached build)."""
    return build(int(seed))[1].copy()


def gold_sets(questions: pd.DataFrame) -> list[set[str]]:
    """Each question's gold article ids as a set (empty for an unanswerable question).

    Parameters
    ----------
    questions : pandas.DataFrame
        A ``help_center_questions`` table.

    Returns
    -------
    list of set of str
    """
    return [set() if g == "none" else set(g.split()) for g in questions["gold_articles"]]
