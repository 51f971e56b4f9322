"""Django's ``flush``, able to empty the audit table on PostgreSQL, where a trigger otherwise refuses TRUNCATE.

The test suite flushes the database after every transactional test (``TransactionTestCase``, pytest-django's
``transaction=True``), the audit table included. Inside the flush's transaction this sets
``session_replication_role`` to ``replica``: ordinary triggers, the audit guard among them, do not fire until the
transaction ends, and nothing else in the flush is affected. It does so only under the test settings
(``AUDIT_FLUSH_ALLOWED``), and only a PostgreSQL superuser (or a role granted ``SET`` on the parameter) may;
anywhere else the flush fails and the audit rows stay, as they must on a live service.

There, the tables are emptied with ``DELETE`` rather than Django's one ``TRUNCATE`` of all of them: a test leaves
a few rows in each, which ``DELETE`` removes in milliseconds, while ``TRUNCATE`` gives each of the ~130 tables
new files (about 3 seconds a test, minutes over the suite). The foreign keys' checks are triggers too, so the
order does not matter. A flush that restarts the sequences keeps ``TRUNCATE … RESTART IDENTITY``.
"""

import re

from django.conf import settings
from django.core.management.commands import flush
from django.db import connections

LIFT_TRIGGERS = "SET LOCAL session_replication_role = replica"


def _lift_triggers_for_truncate(execute, sql, params, many, context):
    if sql.lstrip()[:8].upper() == "TRUNCATE":
        execute(LIFT_TRIGGERS, None, False, context)
        if "RESTART IDENTITY" not in sql.upper():
            # The names are Django's own, as its flush quoted them; no value comes from outside.
            tables = re.findall(r'"[^"]+"', sql)
            return execute("; ".join(f"DELETE FROM {table}" for table in tables), None, False, context)  # noqa: S608
    return execute(sql, params, many, context)


class Command(flush.Command):
    help = flush.Command.help + (" On PostgreSQL it empties the append-only audit table too, which needs a superuser.")

    def handle(self, **options):
        connection = connections[options["database"]]
        # Only the test settings empty the audit table: anywhere else the guard stands and the flush fails.
        if connection.vendor != "postgresql" or not settings.AUDIT_FLUSH_ALLOWED:
            return super().handle(**options)
        with connection.execute_wrapper(_lift_triggers_for_truncate):
            return super().handle(**options)
