"""The Jinja2 environment of the few partials rendered many times per page (issue 16).

The worksheet renders one item card per LKE item, ten to thirty per tab and up to four layers
each; with Django's template language that card was most of the page's CPU (bench/profile_page.py).
The card, the queue's rows and the unit tree's rows (fifty per page) are the Jinja2 templates
(`templates/jinja2/`, `.jinja`); every page around them stays with Django's templates. Their
words come from Python (`assessments/worksheet/card.py`, `assessments/queues.py: ROW_TEXT`,
`units/tree_rows.py`), so that `makemessages` finds them and Indonesian and English stay
complete.

The filters are Django's own where one exists, so that a card reads and escapes exactly as the
Django template did: dates in the active language and the current time zone, numbers with the
active language's decimal separator.
"""

from collections.abc import Mapping

from django.template import defaultfilters, engines
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime, template_localtime
from jinja2 import Environment, StrictUndefined


def _date(value, fmt: str) -> str:
    return defaultfilters.date(template_localtime(value), fmt) if value else ""


def environment(**options) -> Environment:
    # A misspelt name fails the render (and its test) instead of printing nothing.
    options["undefined"] = StrictUndefined
    env = Environment(**options)  # noqa: S701 (autoescape is on: Django's backend sets it)
    env.filters.update(
        date=_date,
        floatformat=defaultfilters.floatformat,
        linebreaksbr=lambda value: defaultfilters.linebreaksbr(value, autoescape=True),
        urlencode=defaultfilters.urlencode,
    )
    env.globals["now"] = lambda fmt: defaultfilters.date(localtime(), fmt)
    env.globals["url"] = lambda name, *args: reverse(name, args=args)
    return env


def render_rows(name: str, words: Mapping, **context) -> SafeString:
    """A page's rows from the Jinja2 template `name`, for a Django template's tag. `words`
    are lazy translations, passed to the template as `text` in the active language."""
    template = engines["jinja2"].get_template(name).template
    text = {key: str(value) for key, value in words.items()}
    return mark_safe(template.render(text=text, **context))  # noqa: S308 (autoescaped)
