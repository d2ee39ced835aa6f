"""/api/v1/assessments/…: an assessment, its answers per layer and its evidence metadata as
the pages show them to the caller, and saving an answer through the worksheet's one save path
(assessments.worksheet.services.answer_save: the same rules, history, tally and audit)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api.errors import Conflict
from api.serializers_assessments import AssessmentDetailSerializer, AssessmentSerializer
from api.serializers_data import (
    AnswerConflictSerializer,
    AnswerSerializer,
    AnswerWriteSerializer,
    ErrorSerializer,
    EvidenceSerializer,
)
from api.views import SYNC
from assessments.assessment import Layer, Status
from assessments.evidence.views import evidence_file_response
from assessments.models import Answer
from assessments.selectors import assessment_for_user
from assessments.worksheet import services
from assessments.worksheet.forms import AnswerInputError, number_text, parse_answer
from core.errors import ConflictError

ASSESSMENT = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Assessment id.")


@extend_schema_view(
    get=extend_schema(
        summary="Assessments in the caller's scope",
        description="Status, stage dates and each visible layer's running total (the tally the "
        "dashboards read). The engine's full scores and predicate checks are in the detail "
        "only: scoring every row would make a list of thousands slow. `deadline` is the "
        "period's: sync /periods/ too.",
        parameters=[
            *SYNC,
            OpenApiParameter("period", int, description="Period year."),
            OpenApiParameter("unit", str, description="Only this unit code's assessments."),
            OpenApiParameter("within", str, description="Only this unit code's subtree."),
            OpenApiParameter("status", str, enum=Status.values),
        ],
    )
)
class AssessmentList(generics.ListAPIView):
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        return selectors.assessment_list(self.request.user, self.request.query_params)


@extend_schema(
    summary="One assessment with its scores",
    description="Per layer the caller may see (never one the pages hide, such as TPN's "
    "before it is released to the unit): the engine's pengungkit, pemenuhan, reform, areas, "
    "hasil, total and predicate checks.",
    parameters=[ASSESSMENT],
)
class AssessmentDetail(generics.RetrieveAPIView):
    serializer_class = AssessmentDetailSerializer

    def get_object(self):
        return selectors.assessment_detail(self.request.user, self.kwargs["pk"])


@extend_schema_view(
    get=extend_schema(
        summary="An assessment's answers",
        description="Every layer the caller may see, or one (`layer`); a layer the pages hide "
        "from the caller is a 403. A layer that becomes visible later (TPI's decision, TPN's "
        "release to the unit) moves the assessment's `updated_at`: read its answers again "
        "without `updated_since` then.",
        parameters=[ASSESSMENT, *SYNC, OpenApiParameter("layer", str, enum=Layer.values)],
    )
)
class AnswerList(generics.ListAPIView):
    serializer_class = AnswerSerializer

    def get_queryset(self):
        user = self.request.user
        assessment = assessment_for_user(user, self.kwargs["pk"])
        return selectors.answer_list(user, assessment, self.request.query_params)


@extend_schema_view(
    get=extend_schema(
        summary="An assessment's evidence (metadata)",
        description="The kinds the caller may read; files through `download_url` (a person "
        "in the browser) or `file_url` (with the token). A kind that becomes readable later "
        "(field-visit attachments once TPN's layer is released to the unit) moves the "
        "assessment's `updated_at`: read its evidence again without `updated_since` then.",
        parameters=[ASSESSMENT, *SYNC],
    )
)
class EvidenceList(generics.ListAPIView):
    serializer_class = EvidenceSerializer

    def get_queryset(self):
        user = self.request.user
        return selectors.evidence_list(user, assessment_for_user(user, self.kwargs["pk"]))


@extend_schema(
    summary="One evidence file",
    description="The file's bytes, after the same checks as the portal's download page (the "
    "caller's scope, the kinds they may read, files held by the virus scan refused). With "
    "object storage, a redirect to a link valid for a few minutes.",
    parameters=[ASSESSMENT, OpenApiParameter("evidence_id", int, OpenApiParameter.PATH)],
    responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 302: None},
)
class EvidenceFile(APIView):
    def perform_content_negotiation(self, request, force=False):
        # A client asking for the file's type (Accept: application/pdf) is not refused with
        # 406: the file is sent as it is, a refusal in JSON.
        return super().perform_content_negotiation(request, force=True)

    def get(self, request, pk, evidence_id):
        return evidence_file_response(request.user, pk, evidence_id)


def _form_data(question, value) -> dict:
    """The JSON value as the worksheet's form posts it, so that it is read by the same
    parser (assessments.worksheet.forms.parse_answer: bounds, parts within wholes, options)."""
    if value is None:
        return {}
    if question.inputs:
        inputs = value.get("inputs") if isinstance(value, dict) else None
        if not isinstance(inputs, dict) or set(inputs) - set(question.inputs):
            raise AnswerInputError(
                _("Butir ini diisi dengan angka: %(names)s.")
                % {"names": ", ".join(question.inputs)}
            )
        return {f"input_{name}": _text(inputs.get(name)) for name in question.inputs}
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise AnswerInputError(_("Jawaban harus berupa teks atau angka."))
    return {"value": number_text(value)}


def _text(value) -> str:
    if value is not None and (isinstance(value, bool) or not isinstance(value, str | int | float)):
        raise AnswerInputError(_("Jawaban harus berupa teks atau angka."))
    return number_text(value)


class AnswerSave(APIView):
    @extend_schema(
        summary="Save an answer in the caller's writable layer",
        description="The worksheet's autosave: `revision` is the one the client started from "
        "(null for a new answer). Someone saved since: 409 with both values. The same value "
        "again is a no-op (200, the stored revision). Service accounts only read.",
        parameters=[
            ASSESSMENT,
            OpenApiParameter("code", str, OpenApiParameter.PATH, description="Item code."),
        ],
        request=AnswerWriteSerializer,
        responses={
            200: AnswerSerializer,
            400: OpenApiTypes.OBJECT,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: AnswerConflictSerializer,
        },
    )
    def put(self, request, pk, code):
        assessment = assessment_for_user(request.user, pk)
        question = selectors.question_by_code(assessment, code)
        writable = assessment.access.writable_layer
        if writable is None:  # as the worksheet's autosave: no layer to write, no body read
            raise PermissionDenied(_("Anda tidak dapat mengisi lapisan ini sekarang."))
        body = AnswerWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["layer"] != writable:  # before the value is read
            raise PermissionDenied(_("Anda tidak dapat mengisi lapisan ini sekarang."))
        try:
            value = parse_answer(question, _form_data(question, data["value"]))
        except AnswerInputError as error:
            raise ValidationError({"value": [str(error)]}) from None
        if "note" not in data:  # a tool that sends only values keeps what a person noted
            data["note"] = (
                Answer.objects.filter(assessment=assessment, question=question, layer=writable)
                .values_list("note", flat=True)
                .first()
                or ""
            )
        try:
            answer = services.answer_save(
                assessment=assessment, question=question, layer=data["layer"], by=request.user,
                value=value, note=data["note"], revision=data["revision"],
            )  # fmt: skip
        except ConflictError as error:
            raise _conflict(error, assessment, question, data, value) from None
        answer.question = question
        return Response(AnswerSerializer(answer).data)


def _conflict(error, assessment, question, data, value) -> Conflict:
    current = Answer.objects.select_related("updated_by").get(
        assessment=assessment, question=question, layer=data["layer"]
    )
    return Conflict(
        str(error),
        yours={"value": value, "note": data["note"], "revision": data["revision"]},
        current={
            "value": current.value,
            "note": current.note,
            "revision": current.revision,
            "updated_by": current.updated_by.get_full_name() if current.updated_by else None,
            "updated_at": current.updated_at.isoformat(),
        },
    )
