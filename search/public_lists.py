"""The cached public lists whose rows an index decides (``marketplace.core.public_lists``).

Find work (``/jobs/`` and the APIs, as anonymous visitors see them) is answered by the jobs index now.
A job's write bumps ``jobs.find_work`` at once and after its commit (``jobs.public_lists``), but the
index only has the change once ``search.index_send`` ran after that commit: an anonymous request in
between would store the old answer under the new version and serve it until the entry expires. So
every write to an index bumps its lists once more, after the engine has it.
"""

from marketplace.jobs.public_lists import FIND_WORK

LISTS_OF_INDEX = {"jobs": (FIND_WORK,)}


def index_written(index: str) -> None:
    for public in LISTS_OF_INDEX.get(index, ()):
        public.bump()
