"""What an import tells the person running it: each problem with its line and column, each row's outcome, and the
summary the command prints and the import page shows."""

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import ImportBatch

PROGRESS_EVERY = 50

# progress(stage, done, total): the command prints it; stage is "Checking" or "Importing".
Progress = Callable[[str, int, int], None]


def report_progress(progress: Progress | None, stage: str, done: int, total: int) -> None:
    """Every PROGRESS_EVERY rows, and at the last."""
    if progress and (done % PROGRESS_EVERY == 0 or done == total):
        progress(stage, done, total)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        if not self.line:
            return self.message
        where = f"line {self.line}, column {self.column}" if self.column else f"line {self.line}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class RowOutcome:
    line: int
    previous_provider: str
    previous_id: str
    family_reference: str = ""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


@dataclass
class ImportReport:
    rows_total: int = 0
    errors: list[RowError] = field(default_factory=list)
    imported: list[RowOutcome] = field(default_factory=list)
    already_imported: list[RowOutcome] = field(default_factory=list)
    for_review: list[RowOutcome] = field(default_factory=list)
    dry_run: bool = False
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        if self.errors:
            lines = len({error.line for error in self.errors})
            return (
                f"Nothing was imported: {_plural(len(self.errors), 'problem')} "
                f"on {_plural(lines, 'line')}. Correct the file and run it again."
            )
        verb = "would be imported" if self.dry_run else "imported"
        return (
            f"{_plural(self.rows_total, 'row')} read: {len(self.imported)} {verb}, "
            f"{len(self.already_imported)} already imported, {len(self.for_review)} "
            f"{'would go' if self.dry_run else 'sent'} to a manager for review."
        )

    def lines(self) -> list[str]:
        """The row-by-row report, as printed by the command."""
        out = [str(error) for error in self.errors]
        for outcome in self.imported:
            ref = f" as {outcome.family_reference}" if outcome.family_reference else ""
            out.append(f"line {outcome.line}: {outcome.previous_provider} {outcome.previous_id} imported{ref}")
        for outcome in self.already_imported:
            out.append(f"line {outcome.line}: {outcome.previous_provider} {outcome.previous_id} already imported")
        for outcome in self.for_review:
            out.append(
                f"line {outcome.line}: {outcome.previous_provider} {outcome.previous_id} may be a family already "
                "held: sent to a team manager for review, not imported"
            )
        out.append(self.summary)
        return out
