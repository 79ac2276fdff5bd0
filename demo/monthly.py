"""Monthly reports of the demo: a month approved, a report returned, one waiting.

Phường Ba Đình's report of the month before last is approved (that month is
locked) and last month's is submitted; Phường Hoàn Kiếm's of last month was
returned with a reason. Each report is made through the workflow's services,
once: a report already there is left as it is, whatever its status now.
"""

import datetime

from accounts.models import User
from areas.models import Ward
from reports.models import MonthlyReport
from reports.monthly import (
    monthly_report_approve,
    monthly_report_return,
    monthly_report_save,
    monthly_report_submit,
    previous_month,
)

BA_DINH, HOAN_KIEM = "00004", "00070"


def demo_monthly_seed(*, today: datetime.date) -> None:
    last = previous_month(today)
    before = previous_month(last)
    province = User.objects.get(username="tinh.hanoi")
    ba_dinh = User.objects.get(username="phuong.badinh")
    hoan_kiem = User.objects.get(username="phuong.hoankiem")

    def submitted(official, ward_code, month, text):
        ward = Ward.objects.get(pk=ward_code)
        if MonthlyReport.objects.filter(ward=ward, month=month).exists():
            return None
        monthly_report_save(user=official, ward=ward, month=month, difficulties=text)
        return monthly_report_submit(user=official, ward=ward, month=month)

    report = submitted(
        ba_dinh,
        BA_DINH,
        before,
        "Người cao tuổi ở tổ dân phố Quán Thánh còn dùng điện thoại phím bấm; "
        "đề nghị hỗ trợ thêm máy cho điểm Bình dân học vụ số.",
    )
    if report is not None:
        monthly_report_approve(user=province, report=report)
    submitted(
        ba_dinh,
        BA_DINH,
        last,
        "Đã hoàn thành kích hoạt định danh mức 2 cho tổ dân phố số 1.",
    )
    report = submitted(
        hoan_kiem,
        HOAN_KIEM,
        last,
        "Thiếu thành viên trực ca chiều tại bộ phận một cửa.",
    )
    if report is not None:
        monthly_report_return(
            user=province,
            report=report,
            reason="Bổ sung số buổi tập huấn của tổ dân phố Hàng Bạc.",
        )
