"""Progress on long work: one live line on stderr while a command follows every cursor, waits
for a run, or works through many tasks.

Only a terminal that can redraw a line sees it: when stderr is not a terminal (a pipe, a file,
CI) or ``TERM=dumb``, the line is off and every method but :meth:`Progress.note` does nothing,
so logs stay clean.  Colour follows ``NO_COLOR``.  Rich draws it (imported only when a line is
shown).  The line is transient: it is erased when the work ends, and anything written to stderr
meanwhile (notes, retry announcements) appears above it.

A command gets one from its session and reports as it goes::

    with session.progress("Applying", unit="task", total=len(tasks)) as progress:
        for task in tasks:
            apply(task)
            progress.advance()

    with session.progress("Reading", unit="task") as progress:
        for item in progress.track(items): ...      # the line ends with the last item

A wait replaces the whole line at every poll with :meth:`Progress.show`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TextIO, TypeVar

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

__all__ = ["Progress"]

T = TypeVar("T")

_REFRESHES_PER_SECOND = 8
#: The spinner, its gap, and the last column a redrawn line must leave free.
_SPINNER = 3


class Progress:
    """A live progress line on ``stream``, or nothing when ``live`` is False.

    ``unit`` names what is counted (``"task"``: "12 tasks"); ``total``, when known, adds a bar
    and "12 of 40".  Use it as a context manager; :meth:`stop` may end the line earlier.
    """

    def __init__(
        self,
        stream: TextIO,
        description: str = "",
        *,
        live: bool,
        color: bool = False,
        unit: str | None = None,
        total: int | None = None,
        width: Callable[[], int] | None = None,
        plural: Callable[[str, int], str] | None = None,
    ) -> None:
        self.stream = stream
        self.live = live
        self.color = color
        self.description = description
        self.unit = unit
        self.total = total
        self.completed = 0
        self._width = width
        self._plural = plural or (lambda word, count: word if count == 1 else word + "s")
        self._rich: RichProgress | None = None
        self._task: TaskID | None = None
        self._stopped = False
        self._emphasis: tuple[str, str] | None = None

    # -- the line's life -------------------------------------------------------------------

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        if not self.live or self._rich is not None or self._stopped:
            return
        self._rich = self._build()
        self._task = self._rich.add_task(
            self.description, total=self.total, counted=self._counted()
        )
        self._rich.start()

    def stop(self) -> None:
        """Erase the line; later calls (and a later :meth:`start`) do nothing."""
        self._stopped = True
        rich, self._rich = self._rich, None
        if rich is not None:
            rich.stop()

    # -- reporting -------------------------------------------------------------------------

    def advance(self, count: int = 1) -> None:
        """``count`` more units done."""
        self.completed += count
        self._update()

    def update(
        self,
        *,
        description: str | None = None,
        completed: int | None = None,
        total: int | None = None,
    ) -> None:
        if description is not None:
            self.description = description
            self._emphasis = None
        if completed is not None:
            self.completed = completed
        if total is not None:
            self.total = total
        self._update(refresh=True)

    def show(self, text: str, *, emphasis: str | None = None, style: str | None = None) -> None:
        """Replace the line with ``text``; its first ``emphasis`` drawn in ``style`` (a Rich
        colour name) when colour is on."""
        self.description = text
        self._emphasis = (emphasis, style) if emphasis and style and emphasis in text else None
        self._update(refresh=True)

    def note(self, message: str) -> None:
        """A message for stderr whether or not the line is shown; above the line when it is."""
        if self._rich is not None:
            self._rich.console.print(message, markup=False, highlight=False, soft_wrap=True)
            return
        self.stream.write(message + "\n")
        self.stream.flush()

    def track(self, items: Iterable[T]) -> Iterator[T]:
        """``items``, one unit each; the line ends after the last, before the caller goes on to
        write what it read."""
        for item in items:
            yield item
            self.advance()
        self.stop()

    @property
    def width(self) -> int | None:
        """The terminal's width as last asked (None when the line is off)."""
        return self._rich.console.width if self._rich is not None else None

    # -- drawing ---------------------------------------------------------------------------

    def _counted(self) -> str:
        if self.unit is None:
            return ""
        done = f"{self.completed:,}"
        if self.total is not None:
            done += f" of {self.total:,}"
        amount = self.total if self.total is not None else self.completed
        return f"{done} {self._plural(self.unit, amount)}"

    def _markup(self) -> str:
        """The description as Rich markup: the text escaped, its emphasis coloured; when it is
        the whole line, cut to the terminal's width (never wrapped, never the spinner lost)."""
        from rich.markup import escape

        text = self.description
        width = self.width
        if self.unit is None and width is not None and len(text) > width - _SPINNER:
            text = text[: max(1, width - _SPINNER - 1)] + "…"
        if self._emphasis is None or not self.color:
            return escape(text)
        word, style = self._emphasis
        before, _, after = text.partition(word)
        return f"{escape(before)}[{style}]{escape(word)}[/]{escape(after)}"

    def _update(self, *, refresh: bool = False) -> None:
        if self._rich is None or self._task is None:
            return
        self._rich.update(
            self._task,
            description=self._markup(),
            completed=self.completed,
            total=self.total,
            counted=self._counted(),
            refresh=refresh,
        )

    def _build(self) -> RichProgress:
        from rich.console import Console
        from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress
        from rich.table import Column

        console = Console(
            file=self.stream,
            force_terminal=True,
            force_interactive=True,
            no_color=not self.color,
            width=self._width() if self._width is not None else None,
            highlight=False,
            markup=False,
            emoji=False,
        )
        text = Column(no_wrap=True, overflow="ellipsis")
        columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}", table_column=text)]
        if self.unit is not None:
            if self.total is not None:
                columns.append(BarColumn(bar_width=20))
            columns += [TextColumn("{task.fields[counted]}"), TimeElapsedColumn()]
        return RichProgress(
            *columns,
            console=console,
            transient=True,
            redirect_stdout=False,  # data on stdout never passes through the line
            redirect_stderr=True,  # messages written meanwhile appear above it
            refresh_per_second=_REFRESHES_PER_SECOND,
        )
