"""/api/v1/ (included from zi_portal.urls). The API authenticates each request itself (a token
or the session, api.authentication), so its views are exempt from the pages' login redirect;
DRF's permission classes refuse the anonymous with 401."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views, views_assessments

app_name = "api"


def _api(view):
    return login_not_required(view.as_view())  # DRF does so too (3.15+); said here on purpose


def _page(view):
    """A page for signed-in people, as the others: anonymous visitors go to the login page
    and a POST needs the CSRF token (DRF would exempt it from both)."""
    view.login_required = True
    view.csrf_exempt = False
    return view


urlpatterns = [
    path("units/", _api(views.UnitList), name="units"),
    path("units/<str:code>/", _api(views.UnitDetail), name="unit"),
    path("periods/", _api(views.PeriodList), name="periods"),
    path("periods/<int:year>/", _api(views.PeriodDetail), name="period"),
    path("assessments/", _api(views_assessments.AssessmentList), name="assessments"),
    path("assessments/<int:pk>/", _api(views_assessments.AssessmentDetail), name="assessment"),
    path("assessments/<int:pk>/answers/", _api(views_assessments.AnswerList), name="answers"),
    path(
        "assessments/<int:pk>/answers/<str:code>/",
        _api(views_assessments.AnswerSave),
        name="answer_save",
    ),
    path("assessments/<int:pk>/evidence/", _api(views_assessments.EvidenceList), name="evidence"),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_id>/file/",
        _api(views_assessments.EvidenceFile),
        name="evidence_file",
    ),
    path("awards/", _api(views.AwardList), name="awards"),
    path("readiness/", _api(views.ReadinessList), name="readiness"),
    path("schema/", _api(SpectacularAPIView), name="schema"),
    # The interactive docs are a page for signed-in people (the login redirect applies).
    path("docs/", _page(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
]
