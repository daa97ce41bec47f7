"""The words of the pages `digest serve` shows, per language; English when there are none.

An audience's `locale` ("fr", "de-CH") picks them by its language part.
"""

from __future__ import annotations

EN = {
    "unsubscribe_title": "Unsubscribe",
    "unsubscribe_ask": "Stop receiving {brand}?",
    "unsubscribe_button": "Unsubscribe",
    "unsubscribed_title": "You are unsubscribed",
    "unsubscribed_text": "You will not receive {brand} any more.",
    "undo_button": "Undo: keep me subscribed",
    "resubscribed_title": "You are subscribed again",
    "resubscribed_text": "You will keep receiving {brand}.",
    "invalid_title": "This link is not valid",
    "invalid_text": "It may be incomplete or out of date. Nothing was changed.",
    "expired_title": "This link has expired",
    "expired_text": "Sign up again to receive {brand}. Nothing was changed.",
    "subscribe_title": "Subscribe to {brand}",
    "subscribe_text": "We will send you an e-mail to confirm your address.",
    "email_label": "E-mail address",
    "name_label": "Name (optional)",
    "subscribe_button": "Subscribe",
    "check_title": "Check your inbox",
    "check_text": "If the address can receive {brand}, a message with a confirmation link "
                  "is on its way. Until you confirm, nothing will be sent.",
    "bad_email": "Please give a valid e-mail address.",
    "confirm_title": "Confirm your subscription",
    "confirm_ask": "Receive {brand}?",
    "confirm_button": "Confirm",
    "confirmed_title": "You are subscribed",
    "confirmed_text": "You will receive {brand} from the next issue on.",
    "not_found_title": "Not found",
    "not_found_text": "There is no page at this address.",
    "error_title": "Something went wrong",
    "error_text": "Please try again later. Nothing was changed.",
    "too_large_title": "Request too large",
    "mail_subject": "Confirm your subscription to {brand}",
    "mail_text": "Someone, hopefully you, asked to receive {brand} at this address.\n\n"
                 "To confirm, open this link and press the button:\n{url}\n\n"
                 "If it was not you, ignore this message: nothing will be sent.",
}

FR = {
    "unsubscribe_title": "Se désabonner",
    "unsubscribe_ask": "Ne plus recevoir {brand} ?",
    "unsubscribe_button": "Me désabonner",
    "unsubscribed_title": "Vous êtes désabonné",
    "unsubscribed_text": "Vous ne recevrez plus {brand}.",
    "undo_button": "Annuler : rester abonné",
    "resubscribed_title": "Vous êtes de nouveau abonné",
    "resubscribed_text": "Vous continuerez à recevoir {brand}.",
    "invalid_title": "Ce lien n’est pas valide",
    "invalid_text": "Il est peut-être incomplet ou périmé. Rien n’a été modifié.",
    "confirm_title": "Confirmez votre abonnement",
    "confirm_ask": "Recevoir {brand} ?",
    "confirm_button": "Confirmer",
    "confirmed_title": "Vous êtes abonné",
    "subscribe_button": "S’abonner",
    "check_title": "Consultez votre boîte de réception",
}

DE = {
    "unsubscribe_title": "Abbestellen",
    "unsubscribe_ask": "{brand} nicht mehr erhalten?",
    "unsubscribe_button": "Abbestellen",
    "unsubscribed_title": "Sie sind abgemeldet",
    "unsubscribed_text": "Sie erhalten {brand} nicht mehr.",
    "undo_button": "Rückgängig: angemeldet bleiben",
    "resubscribed_title": "Sie sind wieder angemeldet",
    "invalid_title": "Dieser Link ist ungültig",
    "invalid_text": "Er ist vielleicht unvollständig oder veraltet. Nichts wurde geändert.",
    "confirm_button": "Bestätigen",
    "subscribe_button": "Anmelden",
}

LANGUAGES = {"en": EN, "fr": FR, "de": DE}


def words(locale: str) -> dict[str, str]:
    """The page words for a locale, English filling what a language lacks."""
    language = locale.replace("_", "-").split("-", 1)[0].lower()
    return {**EN, **LANGUAGES.get(language, {})}
