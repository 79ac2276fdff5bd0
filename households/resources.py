import unicodedata
from copy import copy
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext, gettext_noop
from import_export import fields, resources
from import_export.results import RowResult

from areas.models import Hamlet, Ward
from areas.resources import WARD_COLUMN, RegistryResource
from core.import_files import FileRows, KeptRows
from core.import_messages import VNI_WORD
from core.import_widgets import (
    CACHE_LIMIT,
    ChoiceWidget,
    IntegerWidget,
    InWardWidget,
    PhoneWidget,
    TextWidget,
    YearWidget,
    YesNoWidget,
    cell_text,
    hamlet_widget,
    phone_normalise_cached,
)
from core.resources import PREVIEW_ROWS
from core.staged_import import RowErrors, Stage, StagedResult, import_staged
from core.text import search_key, text_fold, text_normalise

from .duplicates import REASONS, DuplicateIndex
from .models import Household, Resident

CODE_COLUMN = "Mã hộ"
DUPLICATE_CHECK_ROWS = 20_000  # new rows a preview checks for likely duplicates

# The columns of the household import and export template.
HOUSEHOLD_FIELDS = ("ward", "hamlet", "code", *Household.PROFILE_FIELDS)
# The household's columns in the staging table, in the order of the tuples
# HouseholdResource.staged_rows() yields after (row number, bad).
STAGED_FIELDS = (*HOUSEHOLD_FIELDS, "search_text")
FACT_FIELDS = STAGED_FIELDS[6:12]  # size and the yes/no and choice columns
COMPARED_FIELDS = tuple(
    name for name in STAGED_FIELDS if name not in ("ward", "code", "search_text")
)


def rows_numbered(rows, code_at: int, start: int = 1):
    """(data row number, cells) of the data rows, less the blank rows at the end.

    The first data row is ``start``, the row of the column names (shown one
    more, as the library's row numbers are).

    Excel leaves blank rows below the data; a blank row followed by data is
    one the user must fill (the row-by-row import said the same).
    """
    blank = []
    for number, row in enumerate(rows, start):
        code = row[code_at]
        if (code is None or (type(code) is str and not code.strip())) and all(
            cell is None or (type(cell) is str and not cell.strip()) for cell in row
        ):
            blank.append((number, row))
            continue
        if blank:
            yield from blank
            blank.clear()
        yield number, row


def cells_reader(clean, texts_only: bool):
    """``clean(*cells)`` as (values, problems), cached per tuple of cells.

    The columns whose cells repeat (ward and hamlet; size and yes/no) hold a
    few hundred distinct combinations in a file of 300,000 rows. A workbook's
    cells are typed: 1, 1.0 and True are equal keys but read differently.
    """
    cache = {}

    def read(cells: tuple):
        key = cells if texts_only else (cells, tuple(map(type, cells)))
        found = cache.get(key)
        if found is None:
            found = clean(*cells)
            if len(cache) < CACHE_LIMIT:
                cache[key] = found
        return found

    return read


class HouseholdResource(RegistryResource):
    _may_repeat = None  # (ward, code) -> matches, once a preview looked
    _may_repeat_total = 0
    _may_repeat_checked = 0
    _may_repeat_partly = False

    hamlet = fields.Field(
        attribute="hamlet", column_name="Thôn/Tổ dân phố", widget=hamlet_widget()
    )
    code = fields.Field(
        attribute="code",
        column_name=CODE_COLUMN,
        widget=TextWidget(required=True, max_length=30, upper=True),
    )
    head_name = fields.Field(
        attribute="head_name",
        column_name="Họ tên chủ hộ",
        widget=TextWidget(required=True, max_length=150),
    )
    address = fields.Field(
        attribute="address", column_name="Địa chỉ", widget=TextWidget(max_length=255)
    )
    phone = fields.Field(
        attribute="phone", column_name="Điện thoại", widget=PhoneWidget()
    )
    size = fields.Field(
        attribute="size",
        column_name="Số nhân khẩu",
        widget=IntegerWidget(required=True),
    )
    elderly_alone = fields.Field(
        attribute="elderly_alone",
        column_name="Người cao tuổi sống một mình",
        widget=YesNoWidget(),
    )
    disability = fields.Field(
        attribute="disability", column_name="Có người khuyết tật", widget=YesNoWidget()
    )
    poverty = fields.Field(
        attribute="poverty",
        column_name="Hộ nghèo/cận nghèo",
        widget=ChoiceWidget(Household.Poverty, required=False),
    )
    ethnic_minority = fields.Field(
        attribute="ethnic_minority",
        column_name="Dân tộc thiểu số",
        widget=YesNoWidget(),
    )
    no_smartphone = fields.Field(
        attribute="no_smartphone",
        column_name="Không có điện thoại thông minh",
        widget=YesNoWidget(),
    )

    required_columns = (CODE_COLUMN, "Thôn/Tổ dân phố", "Họ tên chủ hộ", "Số nhân khẩu")
    key_column = CODE_COLUMN

    class Meta(RegistryResource.Meta):
        model = Household
        name = "Hộ gia đình"
        fields = HOUSEHOLD_FIELDS
        import_id_fields = ("ward", "code")

    def row_key(self, row):
        ward = self.row_ward(row)
        code = cell_text(row.get(CODE_COLUMN)).upper()
        return (ward.pk, code) if ward and code else None

    def instance_key(self, instance):
        return (instance.ward_id, instance.code)

    def existing_queryset(self, wards):
        return super().existing_queryset(wards).select_related("ward", "hamlet")

    # Set-wise import (see core.staged_import) ---------------------------

    def import_data(self, dataset, dry_run=False, **kwargs):
        headers = [cell_text(header) for header in dataset.headers or ()]
        if not set(self.template_headers()) <= set(headers):
            # A file without every column keeps the cells of the missing ones
            # on update: the row-by-row path knows how (and names what lacks).
            return super().import_data(dataset, dry_run=dry_run, **kwargs)
        errors = RowErrors()
        stage = Stage(Household, STAGED_FIELDS, ("ward", "code"), COMPARED_FIELDS)
        user_id = self.history_user.pk if self.history_user is not None else None
        kept = None
        if isinstance(dataset, FileRows) and connection.vendor == "postgresql":
            kept = KeptRows(
                dataset.path, {"user": user_id, "fields": list(STAGED_FIELDS)}
            )
        try:
            with transaction.atomic():
                result = import_staged(
                    stage=stage,
                    rows=self.staged_rows(dataset, headers, errors),
                    errors=errors,
                    dry_run=dry_run,
                    user_id=user_id,
                    preview=self.preview_rows,
                    kept=kept,
                    recheck=self.staged_recheck,
                    key_column=CODE_COLUMN,
                )
                if dry_run or result.has_validation_errors():
                    transaction.set_rollback(True)
        except Exception as error:  # worded by WordedError (a CSV not in UTF-8…)
            result = StagedResult()
            self.handle_import_error(result, error, kwargs.get("raise_errors", False))
        result.diff_headers = self.get_diff_headers()
        if dry_run and self._may_repeat is not None:
            result.duplicates_checked = True
            result.duplicate_total = self._may_repeat_total
            if self._may_repeat_partly:
                result.duplicates_checked_rows = self._may_repeat_checked
        return result

    def staged_rows(self, rows, headers, errors: RowErrors):
        """Each file row as (row number, bad, *database values), checked cell by cell.

        Cells are read by the widgets and model validators of the row-by-row
        import, cached for the repeating columns. The text columns, mostly
        distinct, are read inline on a fast path that gives the values
        Household.prepare() stores; a row that leaves it is read again by the
        widgets, which word its problems.
        """
        at = {header: index for index, header in enumerate(headers)}
        index = {name: at[field.column_name] for name, field in self.fields.items()}
        texts_only = isinstance(rows, FileRows) and rows.kind == "csv"
        read = self._staged_reader(index, texts_only)
        code_column = self.fields["code"].column_name
        start = getattr(rows, "header_row", 1)
        for number, row in rows_numbered(rows, index["code"], start):
            good, values = read(row)
            if good:
                yield (number, False, *values)
                continue
            problems = self._row_problems(row, index)
            for column, message in problems:
                errors.add(number, column, message)
            ward_id, code = values
            if ward_id and code_column not in {column for column, _ in problems}:
                yield (number, True, ward_id, None, code) + (None,) * 10

    def _staged_reader(self, index, texts_only: bool):
        """``read(row)``: (True, the staged values) for a good row, or (False,
        (ward id, code)) for a row the widgets must read again."""
        place_cells = itemgetter(index["ward"], index["hamlet"])
        fact_cells = itemgetter(*(index[name] for name in FACT_FIELDS))
        text_cells = itemgetter(index["head_name"], index["address"], index["phone"])
        read_place = cells_reader(self._place_read, texts_only)
        read_facts = cells_reader(self._facts_read, texts_only)
        code_at = index["code"]
        normalize = unicodedata.normalize
        vni_search = VNI_WORD.search

        def read(row):
            (ward_id, hamlet_id), place_problems = read_place(place_cells(row))
            facts, fact_problems = read_facts(fact_cells(row))
            # cell_text(), inline for the text cells of a CSV file
            cell = row[code_at]
            code = (
                " ".join(normalize("NFC", cell).split()).upper()
                if type(cell) is str
                else cell_text(cell).upper()
            )
            head_name, address, phone = [
                " ".join(normalize("NFC", cell).split())
                if type(cell) is str
                else cell_text(cell)
                for cell in text_cells(row)
            ]
            good = (
                not place_problems
                and not fact_problems
                and 0 < len(code) <= 30
                and 0 < len(head_name) <= 150
                and len(address) <= 255
                and not vni_search(head_name)
                and not vni_search(address)
            )
            if not code.isascii():  # as Household.prepare() leaves it
                code = text_normalise(text_normalise(code).upper()).upper()
            if good and phone:
                if len(phone) == 9 and phone.isdigit():
                    phone = "0" + phone  # as PhoneWidget reads it
                try:
                    phone = phone_normalise_cached(phone)
                except ValidationError:
                    good = False
            if not good:
                return False, (ward_id, code)
            search = search_key(code, head_name, address, phone)
            values = (ward_id, hamlet_id, code, head_name, address, phone)
            return True, (*values, *facts, search)

        return read

    def staged_recheck(self, stage) -> bool:
        """Whether rows staged at the preview still name wards in scope and
        hamlets of their ward (the confirmation may come much later)."""
        wards = stage.distinct("ward_id")
        strays = stage.unmatched("hamlet_id", Hamlet, same="ward_id")
        try:
            for ward in wards:
                self.ward_resolve(ward)
        except ValueError:
            return False
        return strays == 0

    def _place_read(self, ward_cell, hamlet_cell):
        try:
            ward = self.ward_resolve(ward_cell)
        except ValueError as error:
            return (None, None), ((WARD_COLUMN, str(error)),)
        field = self.fields["hamlet"]
        try:
            hamlet = field.widget.clean(hamlet_cell, row={WARD_COLUMN: ward_cell})
        except ValueError as error:
            return (ward.pk, None), ((field.column_name, str(error)),)
        return (ward.pk, hamlet.pk), ()

    def _facts_read(self, *cells):
        values, problems = [], []
        for name, cell in zip(FACT_FIELDS, cells, strict=True):
            field = self.fields[name]
            try:
                value = field.widget.clean(cell)
                # What full_clean() adds to the widgets: the size's bounds.
                Household._meta.get_field(name).clean(value, None)
            except ValueError as error:
                problems.append((field.column_name, str(error)))
                value = None
            except ValidationError as error:
                problems.extend((field.column_name, text) for text in error.messages)
                value = None
            values.append(value)
        return tuple(values), tuple(problems)

    def _row_problems(self, row, index) -> list[tuple[str, str]]:
        """A bad row's problems, column by column in the file's order."""
        place, problems = self._place_read(row[index["ward"]], row[index["hamlet"]])
        problems = list(problems)
        for name in ("code", "head_name", "address", "phone"):
            field = self.fields[name]
            try:
                field.widget.clean(row[index[name]])
            except ValueError as error:
                problems.append((field.column_name, str(error)))
        values, facts = self._facts_read(*(row[index[name]] for name in FACT_FIELDS))
        return problems + list(facts)

    def duplicates_find(self, stage) -> None:
        """Check the new rows against their ward's households and the file's
        earlier rows: how many may repeat one, and what each shown row may
        repeat, by (ward, code).

        A ward's file is checked whole; a province's, up to
        DUPLICATE_CHECK_ROWS new rows (tens of microseconds a row, which the
        preview of 300,000 rows would feel), and the preview says so.
        """
        index = DuplicateIndex(user=self.scope)
        self._may_repeat, self._may_repeat_total = {}, 0
        self._may_repeat_checked = 0
        rows = stage.new_rows(
            ["ward_id", "hamlet_id", "code", "head_name", "address", "phone"]
        )
        for _number, ward_id, hamlet_id, code, head_name, address, phone in rows:
            if self._may_repeat_checked == DUPLICATE_CHECK_ROWS:
                self._may_repeat_partly = True
                break
            self._may_repeat_checked += 1
            found = index.check(
                ward_id=ward_id,
                code=code,
                hamlet_id=hamlet_id,
                head_name=head_name,
                phone=phone,
                address=address,
            )
            if found:
                self._may_repeat_total += 1
                if len(self._may_repeat) < PREVIEW_ROWS:
                    self._may_repeat[(ward_id, code)] = found

    def may_repeat_text(self, ward_id, code) -> str:
        texts = []
        for match in self._may_repeat.get((ward_id, code), ()):
            reasons = ", ".join(str(REASONS[reason]) for reason in match.reasons)
            if match.in_file:
                texts.append(
                    gettext("%(code)s — %(head)s, a row above in this file (%(why)s)")
                    % {"code": match.code, "head": match.head_name, "why": reasons}
                )
            else:
                texts.append(
                    gettext("%(code)s — %(head)s (%(why)s)")
                    % {"code": match.code, "head": match.head_name, "why": reasons}
                )
        return "; ".join(texts)

    def preview_rows(self, stage) -> list[RowResult]:
        """The first rows of the file as the preview shows them: type and diff,
        and the households each new row may repeat."""
        self.duplicates_find(stage)
        staged = stage.first_rows(PREVIEW_ROWS)
        existing = Household.objects.select_related("ward", "hamlet").in_bulk(
            [row[-1] for row in staged if row[-1]]
        )
        # The wards and hamlets the file named, as the widgets cached them.
        wards = {
            ward.pk: ward for ward in self._wards.values() if isinstance(ward, Ward)
        }
        hamlets = {
            hamlet.pk: hamlet
            for by_name in self._hamlets.values()
            for hamlet in by_name.values()
        }
        results = []
        for row in staged:
            values = dict(zip(STAGED_FIELDS, row[:-1], strict=True))
            original = existing.get(row[-1])
            instance = copy(original) if original else Household()
            for name in STAGED_FIELDS:
                if name not in ("ward", "hamlet"):
                    setattr(instance, name, values[name])
            instance.ward = wards[values["ward"]]
            instance.hamlet = hamlets[values["hamlet"]]
            result = RowResult()
            if original is None:
                result.import_type = RowResult.IMPORT_TYPE_NEW
            elif any(
                getattr(original, Household._meta.get_field(name).attname)
                != getattr(instance, Household._meta.get_field(name).attname)
                for name in COMPARED_FIELDS
            ):
                result.import_type = RowResult.IMPORT_TYPE_UPDATE
            else:
                result.import_type = RowResult.IMPORT_TYPE_SKIP
            diff = resources.Diff(self, original or Household(), original is None)
            diff.compare_with(self, instance)
            result.diff = diff.as_html()
            result.may_repeat = self.may_repeat_text(instance.ward_id, instance.code)
            result.add_instance_info(instance)
            results.append(result)
        return results


class ResidentResource(RegistryResource):
    household = fields.Field(
        attribute="household",
        column_name=CODE_COLUMN,
        widget=InWardWidget(
            "households",
            gettext_noop("There is no household with code %(code)s in %(ward)s."),
            key=str.upper,
            shown="code",
        ),
    )
    full_name = fields.Field(
        attribute="full_name",
        column_name="Họ và tên",
        widget=TextWidget(required=True, max_length=150),
    )
    birth_year = fields.Field(
        attribute="birth_year",
        column_name="Năm sinh",
        widget=YearWidget(required=True),
    )
    gender = fields.Field(
        attribute="gender",
        column_name="Giới tính",
        widget=ChoiceWidget(Resident.Gender),
    )
    phone = fields.Field(
        attribute="phone", column_name="Điện thoại", widget=PhoneWidget()
    )
    has_smartphone = fields.Field(
        attribute="has_smartphone",
        column_name="Có điện thoại thông minh",
        widget=YesNoWidget(),
    )
    vneid_level = fields.Field(
        attribute="vneid_level",
        column_name="VNeID",
        widget=ChoiceWidget(
            Resident.VneidLevel, required=False, default=Resident.VneidLevel.NONE
        ),
    )
    digital_skill = fields.Field(
        attribute="digital_skill",
        column_name="Kỹ năng số",
        widget=ChoiceWidget(
            Resident.Skill, required=False, default=Resident.Skill.NONE
        ),
    )
    is_focal_person = fields.Field(
        attribute="is_focal_person",
        column_name="Đầu mối số của hộ",
        widget=YesNoWidget(),
    )
    disability = fields.Field(
        attribute="disability", column_name="Khuyết tật", widget=YesNoWidget()
    )
    ethnic_minority = fields.Field(
        attribute="ethnic_minority",
        column_name="Dân tộc thiểu số",
        widget=YesNoWidget(),
    )

    required_columns = (CODE_COLUMN, "Họ và tên", "Năm sinh", "Giới tính")
    key_column = "Họ và tên"

    class Meta(RegistryResource.Meta):
        model = Resident
        name = "Nhân khẩu"
        fields = (
            "ward",
            "household",
            "full_name",
            "birth_year",
            "gender",
            "phone",
            "has_smartphone",
            "vneid_level",
            "digital_skill",
            "is_focal_person",
            "disability",
            "ethnic_minority",
        )
        import_id_fields = ("ward", "household", "full_name", "birth_year")

    def __init__(self, who=None, **kwargs):
        super().__init__(who, **kwargs)
        self._households = {}
        self._focal = {}  # household id -> key of the focal person (file wins)

    def households(self, ward) -> dict:
        if ward.pk not in self._households:
            self._households[ward.pk] = {
                household.code: household
                for household in Household.objects.filter(ward=ward).only(
                    "pk", "code", "ward_id"
                )
            }
        return self._households[ward.pk]

    def row_key(self, row):
        ward = self.row_ward(row)
        code = cell_text(row.get(CODE_COLUMN)).upper()
        name = text_fold(cell_text(row.get("Họ và tên")))
        year = cell_text(row.get("Năm sinh"))
        if not (ward and code and name and year):
            return None
        return (ward.pk, code, name, year)

    def instance_key(self, instance):
        return (
            instance.ward_id,
            instance.household.code,
            text_fold(instance.full_name),
            str(instance.birth_year),
        )

    def existing_instances(self, dataset):
        instances = super().existing_instances(dataset)
        for key, resident in instances.items():
            if resident.is_focal_person:
                self._focal[resident.household_id] = (key, resident, False)
        return instances

    def existing_queryset(self, wards):
        return super().existing_queryset(wards).select_related("household")

    def row_check(self, instance, row, errors):
        household = instance.household if instance.household_id else None
        if household is None:
            return
        key = self.row_key(row)
        holder_key, holder, from_file = self._focal.get(
            household.pk, (None, None, False)
        )
        if not instance.is_focal_person:
            if holder_key == key:
                del self._focal[household.pk]
            return
        column = self.fields["is_focal_person"].column_name
        if not instance.has_smartphone:
            errors.setdefault(column, []).append(
                gettext("The digital focal person must own a smartphone.")
            )
            return
        if holder_key is None or holder_key == key:
            self._focal[household.pk] = (key, instance, True)
        elif from_file:
            errors.setdefault(column, []).append(
                gettext(
                    "Household %(code)s already has a digital focal person in this "
                    "file; mark only one person “có”."
                )
                % {"code": household.code}
            )
        else:
            # The file names a new focal person: the old one steps down, with
            # an audit record, before the new one is written.
            holder.is_focal_person = False
            holder._history_user = self.history_user
            holder._change_reason = gettext("import")
            holder.save(update_fields=["is_focal_person"])
            self._focal[household.pk] = (key, instance, True)
