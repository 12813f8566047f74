"""Progress bars (tqdm) on a terminal, silent everywhere else."""
import sys


def bar(stream=sys.stderr, **options):
    """A tqdm bar on ``stream`` when it is a terminal; disabled when ``stream`` is None
    or not a terminal, so logs and pipes get no carriage returns."""
    from tqdm import tqdm

    return tqdm(file=stream if stream is not None else sys.stderr,
                disable=True if stream is None else None, leave=False, dynamic_ncols=True,
                **options)
