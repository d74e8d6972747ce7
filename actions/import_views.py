"""The spreadsheet import pages, for admins: upload, preview, confirm or discard; and the template to fill in."""

from __future__ import annotations

import csv
from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View
from openpyxl import Workbook
from openpyxl.styles import Font

from themes.models import Plan
from themes.selectors import plans_visible

from .forms import ActionImportForm
from .imports import (
    COLUMNS,
    TEMPLATE_HEADINGS,
    ImportRefused,
    Preview,
    import_apply,
    import_discard,
    import_preview_create,
)
from .models import ActionImport
from .spreadsheets import MAX_FILE_BYTES, MAX_ROWS, FileProblem, read_table


class AdminOnlyMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not getattr(request.user, "is_admin", False):
            raise PermissionDenied("Only admins import actions.")
        self.plan = get_object_or_404(plans_visible(user=request.user), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)


class ImportUploadView(AdminOnlyMixin, View):
    template_name = "actions/import_upload.html"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self.render(ActionImportForm())

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = ActionImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            form.add_error("file", f"The file must be smaller than {MAX_FILE_BYTES // (1024 * 1024)} MB")
            return self.render(form, status=400)
        try:
            table = read_table(name=upload.name, content=upload.read(MAX_FILE_BYTES + 1))
        except FileProblem as problem:
            form.add_error("file", str(problem))
            return self.render(form, status=400)
        record = import_preview_create(
            plan=self.plan, table=table, by=request.user, file_name=upload.name, joined=form.cleaned_data["joined"]
        )
        return HttpResponseRedirect(reverse("themes:import_preview", kwargs={"slug": self.plan.slug, "pk": record.pk}))

    def render(self, form: ActionImportForm, *, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "plan": self.plan,
                "form": form,
                "columns": COLUMNS,
                "max_rows": MAX_ROWS,
                "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
            },
            status=status,
        )


class ImportPreviewView(AdminOnlyMixin, View):
    template_name = "actions/import_preview.html"

    def get_record(self) -> ActionImport:
        return get_object_or_404(
            ActionImport.objects.select_related("plan", "uploaded_by"), pk=self.kwargs["pk"], plan=self.plan
        )

    def get(self, request: HttpRequest, slug: str, pk) -> HttpResponse:
        return self.render(self.get_record())

    def post(self, request: HttpRequest, slug: str, pk) -> HttpResponse:
        record = self.get_record()
        if "discard" in request.POST:
            import_discard(record=record, by=request.user)
            messages.success(request, f"The upload of {record.file_name} was discarded: nothing was imported")
            return HttpResponseRedirect(reverse("themes:import", kwargs={"slug": self.plan.slug}))
        try:
            preview = import_apply(record=record, by=request.user)
        except ImportRefused as refused:
            record.refresh_from_db()
            return self.render(record, problem=str(refused), status=409)
        messages.success(
            request,
            f"Imported from {record.file_name}: {len(preview.creates)} actions created, {len(preview.updates)} updated",
        )
        return HttpResponseRedirect(self.plan.get_absolute_url())

    def render(self, record: ActionImport, *, problem: str = "", status: int = 200) -> HttpResponse:
        preview = Preview.from_data(record.preview)
        return render(
            self.request,
            self.template_name,
            {"plan": self.plan, "record": record, "preview": preview, "problem": problem},
            status=status,
        )


class ImportTemplateView(AdminOnlyMixin, View):
    """The template: the import's column headings, and (in the XLSX) a sheet explaining each column."""

    def get(self, request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
        filename = f"{self.plan.slug}-actions-template"
        if fmt == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
            response.write("\ufeff")
            csv.writer(response).writerow(TEMPLATE_HEADINGS)
            return response
        if fmt != "xlsx":
            return HttpResponse("The template is a .csv or an .xlsx file.", status=404, content_type="text/plain")
        return xlsx_template(self.plan, filename)


def xlsx_template(plan: Plan, filename: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    sheet.append(TEMPLATE_HEADINGS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    guidance = workbook.create_sheet("Guidance")
    guidance.append(["Column", "Needed", "What to write"])
    for cell in guidance[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        if column.key == "plan":
            continue
        guidance.append([column.heading, "Yes" if column.required else "No", column.hint])
    guidance.append([])
    guidance.append([f"Themes of {plan.title}"])
    for theme in plan.themes.order_by("number"):
        guidance.append([str(theme.number), "", theme.title])
    guidance.column_dimensions["A"].width = 22
    guidance.column_dimensions["C"].width = 100
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
