"""How strong a password or passphrase must be: long enough, and not a common or trivially patterned one.

Shared by the server (account passwords) and the app (profile passphrases). The
common-password check is zxcvbn's: its ranked lists of leaked passwords, words,
keyboard walks, repeats and sequences; anything guessable in under a million tries
is refused, however long ("passwordpassword", "123456789012", twelve spaces).
"""

from __future__ import annotations

from collections.abc import Sequence

MIN_PASSWORD_LENGTH = 12
MIN_PDF_PASSWORD_LENGTH = 8
_MIN_GUESSES_LOG10 = 6.0


def password_problem(password: str, *, what: str = "password", related: Sequence[str] = ()) -> str | None:
    """Why `password` is not acceptable, in a sentence for the person choosing it; None if it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Choose a {what} of at least {MIN_PASSWORD_LENGTH} characters; a few unrelated words work well."
    if not password.strip():
        return f"A {what} of spaces only is too easy to guess; choose a few unrelated words."
    # Imported here: its word lists take ~12 MB, and unlocking a profile never needs them.
    from zxcvbn import zxcvbn

    # zxcvbn's cost grows with length; the prefix is where the guessable patterns show.
    result = zxcvbn(password[:100], user_inputs=[r for r in related if r])
    if float(result["guesses_log10"]) < _MIN_GUESSES_LOG10:
        return f"This {what} is too common or too easy to guess; choose a few unrelated words."
    return None
