"""Print where the platform runs and the demo accounts to sign in with."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.demo import DEMO_PASSWORD, demo_account_specs
from core.models import Region, Role, User


class Command(BaseCommand):
    help = _("显示访问地址和演示账号")
    requires_system_checks = []  # checks run in `manage.py check`, migrate and CI, not before each run

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help=_("服务端口"))

    def handle(self, *args, port: int, **options):
        specs = demo_account_specs()
        existing = set(
            User.objects.filter(username__in=[s["username"] for s in specs]).values_list("username", flat=True)
        )
        regions = dict(Region.objects.filter(code__in={s["jurisdiction"] for s in specs}).values_list("code", "name"))
        roles = dict(Role.choices)
        self.stdout.write(_("访问地址：http://127.0.0.1:%(port)d/") % {"port": port})
        self.stdout.write(_("管理后台：http://127.0.0.1:%(port)d/admin/（hn_admin）") % {"port": port})
        self.stdout.write(_("演示账号（统一密码：%(password)s）") % {"password": DEMO_PASSWORD})
        header = (_("用户名"), _("角色"), _("管辖区域"))
        self.stdout.write(f"  {header[0]:<20}{header[1]:<13}{header[2]}")
        for spec in specs:
            missing = "" if spec["username"] in existing else _("（未创建，请先运行 load_demo）")
            region = f"{regions.get(spec['jurisdiction'], '')}（{spec['jurisdiction']}）"
            role = str(roles[spec["role"]])
            # Chinese characters take two columns in a terminal.
            self.stdout.write(f"  {spec['username']:<20}{role}{' ' * max(1, 14 - 2 * len(role))}{region}{missing}")
