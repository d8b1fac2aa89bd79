"""mlecourse: the numerical core of an open course on maximum likelihood estimation.

Numerics (``families``, ``optimize``, ``information``, ``inference``, ``glm``, ``mixture``,
``divergence``, ``results``) are re-exported here flat. The views (``mlecourse.plotting``,
``mlecourse.widgets``) import matplotlib and ipywidgets only when used, so ``import mlecourse``
stays fast.
"""

from .divergence import *  # noqa: F403
from .families import *  # noqa: F403
from .glm import *  # noqa: F403
from .inference import *  # noqa: F403
from .information import *  # noqa: F403
from .mixture import *  # noqa: F403
from .optimize import *  # noqa: F403
from .results import *  # noqa: F403

__version__ = "0.1.0"
