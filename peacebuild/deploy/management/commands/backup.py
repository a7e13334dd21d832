"""`peacebuild backup [PATH]`: a sealed backup of the database and of the files that are
records (docs/deploy.md, Backups)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from peacebuild.deploy.backups import backup, default_dir, default_name, prune
from peacebuild.deploy.sealing import BackupError, new_key


class Command(BaseCommand):
    help = ("Back up the database and its files (case attachments, documents), encrypted "
            "with PEACEBUILD_BACKUP_KEY, to PATH (default: BACKUP_DIR or the data folder's "
            "backups/, a new file named by the time).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", help="the backup file to write")
        parser.add_argument("--keep", type=int, default=0,
                            help="then keep only the newest KEEP backups of the folder")
        parser.add_argument("--new-key", action="store_true",
                            help="print a new backup key and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.stdout.write(new_key())
            return
        path = Path(options["path"]) if options["path"] else default_dir() / default_name()
        try:
            manifest = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(count for count, _ in manifest["tables"].values())
        self.stdout.write(f"Backed up {len(manifest['tables'])} tables ({rows} rows) and "
                          f"{len(manifest['files'])} files to {path} "
                          f"({path.stat().st_size} bytes, encrypted).")
        if options["keep"]:
            for gone in prune(path.parent, options["keep"]):
                self.stdout.write(f"Removed the older backup {gone}.")
