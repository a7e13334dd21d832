"""`peacebuild restore PATH [--verify]`: a backup back into the database, checked table by
table against the checksums taken when it was made."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from peacebuild.deploy.backups import restore
from peacebuild.deploy.sealing import BackupError


class Command(BaseCommand):
    help = ("Restore a backup made by `peacebuild backup` into the database (replacing its "
            "tables), then compare every table's records with the backup's checksums.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="the backup file")
        parser.add_argument("--database-url",
                            help="restore into this database instead (a restore drill)")
        parser.add_argument("--files-to", metavar="DATA_DIR",
                            help="write the backup's files under this data folder (default: "
                                 "this installation's, unless --database-url is given: then "
                                 "they are only checked)")
        parser.add_argument("--verify", action="store_true",
                            help="print each table's result (the check runs in any case)")
        parser.add_argument("--noinput", "--no-input", action="store_false",
                            dest="interactive", help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        if options["interactive"] and not options["database_url"]:
            answer = input("This replaces the records of the configured database with the "
                           "backup's. Type 'yes' to go on: ")
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest, checks = restore(path, database_url=options["database_url"],
                                       files_into=files_into(options["files_to"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        different = [c for c in checks if not c.same]
        files = sum(1 for c in checks if c.table.startswith("file "))
        if options["verify"] or different:
            width = max((len(c.table) for c in checks), default=5)
            for c in checks:
                found = "missing" if c.rows_found is None else str(c.rows_found)
                verdict = "same" if c.same else "DIFFERENT"
                self.stdout.write(f"{c.table:<{width}}  {c.rows_expected:>9} rows  "
                                  f"{found:>9} restored  {verdict}")
        if different:
            raise CommandError(f"{len(different)} of {len(checks)} tables and files differ "
                               "from the backup: " + ", ".join(c.table for c in different))
        self.stdout.write(f"Restored the backup of {manifest['made_at']}: all "
                          f"{len(checks) - files} tables hold the same records, and all "
                          f"{files} files are the same.")


def files_into(data_dir: str | None) -> dict[str, Path] | None:
    """The backup's file folders under another data folder, laid out as the default
    settings lay out their own (CASE_FILES_DIR and MEDIA_ROOT under the data folder)."""
    if data_dir is None:
        return None
    root = Path(data_dir)
    return {"case-files/attachments": root / "case-files" / "attachments", "media": root / "media"}
