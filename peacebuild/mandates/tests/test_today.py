"""One notion of "today": the office's local date, and ruff keeps it the only one."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from peacebuild.mandates.models import Office

ROOT = Path(__file__).resolve().parents[3]


def test_today_is_the_offices_local_date():
    # 25 hours apart: whatever the hour, the two offices' dates differ by one day at least.
    east = Office(code="east", time_zone="Pacific/Kiritimati")  # UTC+14
    west = Office(code="west", time_zone="Pacific/Pago_Pago")  # UTC-11
    now = dt.datetime.now(dt.UTC)
    assert east.today() == (now + dt.timedelta(hours=14)).date()
    assert west.today() == (now - dt.timedelta(hours=11)).date()
    assert east.today() > west.today()


def test_a_new_office_works_in_the_installations_time_zone(settings):
    assert Office(code="x").time_zone == settings.TIME_ZONE == "Asia/Dushanbe"


def test_an_unknown_time_zone_is_refused():
    office = Office(code="x", name="X", established_on=dt.date(2000, 1, 1),
                    time_zone="Asia/Atlantis")
    with pytest.raises(ValidationError) as error:
        office.clean_fields()
    assert "time_zone" in error.value.message_dict


@pytest.mark.parametrize("line", [
    "import datetime as dt\nprint(dt.date.today())\n",
    "from datetime import date\nprint(date.today())\n",
    "from django.utils import timezone\nprint(timezone.localdate())\n",
])
def test_ruff_refuses_the_servers_today_in_product_code(line):
    ruff = Path(sys.executable).with_name("ruff")
    checked = subprocess.run(
        [str(ruff), "check", "--select", "TID251", "--stdin-filename",
         "peacebuild/activities/anything.py", "-"],
        input=line, capture_output=True, text=True, cwd=ROOT)
    assert checked.returncode == 1, checked.stdout
    assert "office.today()" in checked.stdout
