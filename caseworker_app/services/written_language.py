"""Which language a family reads written material in, and which languages a document can be written in.

Light on purpose (Babel loads on first use): the case file and the member dialog show these names.
"""

from __future__ import annotations

from caseworker_app import i18n
from caseworker_app.i18n import _
from caseworker_app.local_format import babel_locale

# Languages offered for a family's written material: those of the catalogs first, then the
# languages most often asked for in US school districts (any other code a record holds is kept).
FAMILY_LANGUAGES = ("en", "es", "vi", "zh", "ar", "so", "ru", "ht", "pt", "ko", "tl", "fr", "hmn", "uk", "fa", "ps")


def base_language(code: str | None) -> str:
    """'es' for 'es', 'es_MX' or 'es-MX'; 'en' when nothing is recorded."""
    return (code or "en").replace("-", "_").split("_")[0].lower() or "en"


def language_name(code: str, in_language: str | None = None) -> str:
    """A language code as a person reads it: 'vi' -> 'Vietnamese' (or 'vietnamita' in Spanish)."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(babel_locale(in_language)) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if base_language(in_language or i18n.current_language()) == "en" else name


def written_languages() -> list[str]:
    """The languages a document can be written in: English and every language with a catalog."""
    return [base_language(code) for code in i18n.available_languages()]


def untranslated_message(code: str) -> str:
    """Why a document cannot be written in `code`, in the window's language, naming the choices."""
    from babel.lists import format_list

    here = i18n.current_language()
    choices = [language_name(c, here) for c in written_languages()]
    return _("No {language} translation is available; choose {choices}.").format(
        language=language_name(code, here), choices=format_list(choices, style="or", locale=babel_locale(here))
    )


def default_language(for_family: bool, family_language: str | None, worker_language: str | None = None) -> str:
    """A family's copy is written in the family's language; every other copy in the worker's."""
    worker = base_language(worker_language or i18n.current_language())
    if for_family and family_language:
        return base_language(family_language)
    return worker
