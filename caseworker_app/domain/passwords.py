"""How strong a password or passphrase must be: long enough, and not a common or trivially patterned one.

Shared by the server (account passwords), the app (profile passphrases) and PDF exports
(PDF passwords). The common-password check is zxcvbn's: its ranked lists of leaked
passwords, words, keyboard walks, repeats and sequences, plus the words of this setting
(the person's user name and name, the agency's name, the app's name, recent years).
Accounts and passphrases must take 10^10 guesses ("Summer2026!!" and "jdoe-jdoe-jdoe"
do not); a PDF password must at least not be a common one ("password", "12345678").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from caseworker_app.i18n import _

MIN_PASSWORD_LENGTH = 12
MIN_PDF_PASSWORD_LENGTH = 8
APP_NAME = "Caseworker"
# Guessable in under 10^10 tries: within reach of an offline attack on a stolen hash or profile.
ACCOUNT_MIN_GUESSES_LOG10 = 10.0
# Guessable in under a million tries: on every leaked-password list. The floor for PDF passwords.
COMMON_MIN_GUESSES_LOG10 = 6.0
# Words of the job that people build passwords from, whatever the agency is called.
_SETTING_WORDS = ("caseworker", "casework", "liaison", "agency", "county", "family", "services", "school")
# zxcvbn knows years only up to 2019; "2026" was cheap to guess, not random digits.
_YEARS = tuple(str(year) for year in range(2040, 1949, -1))
_WORD = re.compile(r"[^\W_]+")


def setting_words(related: Sequence[str]) -> list[str]:
    """What an attacker would try first here: the given names whole and word by word, then the job's words."""
    words: list[str] = []
    for text in (*related, APP_NAME):
        if text:
            words.append(text)
            words.extend(_WORD.findall(text))
    return [*words, *_SETTING_WORDS, *_YEARS]


def _guesses_log10(password: str, related: Sequence[str]) -> float:
    # Imported here: its word lists take ~12 MB, and unlocking a profile never needs them.
    from zxcvbn import zxcvbn

    # zxcvbn's cost grows with length; the prefix is where the guessable patterns show.
    return float(zxcvbn(password[:100], user_inputs=setting_words(related))["guesses_log10"])


def password_problem(password: str, *, what: str = "password", related: Sequence[str] = ()) -> str | None:
    """Why `password` (an account password, or with what="passphrase" a profile passphrase) is not
    acceptable, in a sentence for the person choosing it; None if it is.
    `related`: the user name, the person's name, the agency's name."""
    passphrase = what == "passphrase"
    if len(password) < MIN_PASSWORD_LENGTH:
        if passphrase:
            message = _("Choose a passphrase of at least {n} characters; a few unrelated words work well.")
        else:
            message = _("Choose a password of at least {n} characters; a few unrelated words work well.")
        return message.format(n=MIN_PASSWORD_LENGTH)
    if not password.strip() or _guesses_log10(password, related) < ACCOUNT_MIN_GUESSES_LOG10:
        if passphrase:
            return _(
                "This passphrase is too common or too easy to guess (a season or a word with a year, your name, "
                "the agency's or the app's name); choose a few unrelated words."
            )
        return _(
            "This password is too common or too easy to guess (a season or a word with a year, your name, "
            "the agency's or the app's name); choose a few unrelated words."
        )
    return None


def pdf_password_problem(password: str, *, related: Sequence[str] = ()) -> str | None:
    """Why a PDF password is not acceptable; None if it is. Shorter than an account password (it is
    read out or sent separately), but never one on the leaked-password lists."""
    if len(password) < MIN_PDF_PASSWORD_LENGTH:
        return _("Choose a PDF password of at least {n} characters.").format(n=MIN_PDF_PASSWORD_LENGTH)
    if not password.strip() or _guesses_log10(password, related) < COMMON_MIN_GUESSES_LOG10:
        return _("This PDF password is too common or too easy to guess; choose a few unrelated words.")
    return None
